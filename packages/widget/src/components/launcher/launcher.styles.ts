import { css } from 'lit';

/** The floating launcher button of `mode="launcher"`. */
export const launcherStyles = css`
  .launcher {
    display: grid;
    place-items: center;
    width: 56px;
    height: 56px;
    border-radius: 50%;
    color: var(--ai-chat-accent-text);
    background: var(--ai-chat-accent);
    box-shadow: 0 8px 24px rgb(15 15 30 / 0.22);
    transition: transform 160ms ease;
  }
  .launcher:hover {
    transform: scale(1.05);
  }
  .launcher svg {
    width: 26px;
    height: 26px;
  }
`;
