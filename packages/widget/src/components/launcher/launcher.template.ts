import { html } from 'lit';
import { icons } from '../../icons.js';
import type { AiChatStrings } from '../../strings.js';

/** The floating button of `mode="launcher"` that opens and closes the panel (its state is `<ai-chat>`'s `open`). */
export function renderLauncher(isOpen: boolean, strings: AiChatStrings, onClick: () => void) {
  return html`<button type="button" class="launcher" part="launcher" aria-expanded=${isOpen ? 'true' : 'false'}
    aria-label=${isOpen ? strings.close : strings.open} @click=${onClick}>${isOpen ? icons.close : icons.chat}</button>`;
}
