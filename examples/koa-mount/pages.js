// @ts-check
// The host app's own pages. They are plain template strings; every value is escaped before it goes into the HTML.

/** @param {string} value */
function escapeHtml(value) {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** @param {string} title @param {string} body */
function layout(title, body) {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>${escapeHtml(title)}</title>
  <link rel="stylesheet" href="/assets/site.css" />
  <script type="module" src="/assets/ai-chat.js"></script>
</head>
<body>${body}</body>
</html>`;
}

/**
 * The sign-in form, with an error line after a failed attempt, and an anonymous chat in a launcher.
 * @param {{ error?: string }} [options]
 */
export function renderLoginPage(options = {}) {
  return layout('Sign in · Acme', `
  <main class="login">
    <h1>Acme intranet</h1>
    <form method="post" action="/login">
      ${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
      <label>User <input name="username" autocomplete="username" required /></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
      <button type="submit">Sign in</button>
      <p class="hint">Try alice / alice-password or bob / bob-password.</p>
    </form>
  </main>
  <!-- Visitors can ask before signing in; once they sign in, these conversations move to their account. -->
  <ai-chat mode="launcher" server="/chat" heading="Questions before you sign in?"></ai-chat>`);
}

/**
 * The signed-in page with the chat: `server="/chat"` is where this app mounted the chat router, and `user-token` is
 * the signed token that makes the chat know this user on every browser.
 * @param {{ userName: string, chatToken: string }} options
 */
export function renderHomePage({ userName, chatToken }) {
  return layout('Acme intranet', `
  <header>
    <h1>Acme intranet</h1>
    <span class="account">Signed in as <strong class="user-name">${escapeHtml(userName)}</strong></span>
    <form method="post" action="/logout"><button type="submit">Sign out</button></form>
  </header>
  <main>
    <ai-chat mode="inline" server="/chat" user-token="${escapeHtml(chatToken)}" heading="Acme assistant"></ai-chat>
  </main>`);
}
