import { useRef, useState } from 'react';
// Registers <ai-chat>. React 19 sets its props as element properties before it enters the page, and `on<event>`
// props (e.g. `onai-ready`) listen to its events.
import '@ai-chat/widget';

const SERVER = import.meta.env.VITE_AI_CHAT_SERVER ?? 'http://localhost:3000';

/** A React page around the element: it reacts to the element's events and drives it through its methods. */
export function App() {
  const chat = useRef(null);
  const [activity, setActivity] = useState([]);
  const [replyCount, setReplyCount] = useState(0);
  const [sessionId, setSessionId] = useState(null);
  const log = (text) => setActivity((entries) => [...entries.slice(-19), { id: crypto.randomUUID(), text }]);

  const handleMessageSend = (event) => {
    // The event is cancelable: the page can keep a message from being sent.
    if (/\bpassword\b/i.test(event.content)) {
      event.preventDefault();
      log('Blocked a message that mentions a password');
      return;
    }
    log(`Sent: ${event.content}`);
  };

  const handleResponseEnd = (event) => {
    setReplyCount((count) => count + 1);
    log(`Reply ${event.message.status}: ${event.message.content.length} characters`);
  };

  return (
    <div className="layout">
      <aside>
        <h1>ai-chat in React</h1>
        <p>
          Replies received: <output className="reply-count">{replyCount}</output>
        </p>
        <p>
          Active session: <code className="session-id">{sessionId ?? 'none yet'}</code>
        </p>
        <div className="actions">
          <button type="button" onClick={() => chat.current?.send('What can you do?')}>Ask “What can you do?”</button>
          <button type="button" onClick={() => chat.current?.newSession()}>New conversation</button>
        </div>
        <h2>Events</h2>
        <ol className="activity">
          {activity.map((entry) => (
            <li key={entry.id}>{entry.text}</li>
          ))}
        </ol>
      </aside>
      <ai-chat
        ref={chat}
        server={SERVER}
        mode="inline"
        heading="React demo"
        onai-ready={() => log('Ready')}
        onai-session-change={(event) => setSessionId(event.sessionId)}
        onai-message-send={handleMessageSend}
        onai-response-end={handleResponseEnd}
        onai-error={(event) => log(`Error: ${event.error?.message ?? event.error}`)}
      />
    </div>
  );
}
