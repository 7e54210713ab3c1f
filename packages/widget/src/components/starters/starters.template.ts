import { html, nothing } from 'lit';
import type { Starter } from '../../controllers/starters.controller.js';

/**
 * The starter prompts of an empty conversation, as buttons (a group named by `label`); a click sends the prompt.
 */
export function renderStarters(starters: Starter[], label: string, send: (prompt: string) => void) {
  if (starters.length === 0) return nothing;
  return html`<div class="starters" part="starters" role="group" aria-label=${label}>
    ${starters.map(({ prompt, label: text }) => html`<button type="button" class="starter" part="starter" @click=${() => send(prompt)}>${text ?? prompt}</button>`)}
  </div>`;
}
