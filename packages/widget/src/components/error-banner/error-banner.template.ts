import { html, nothing } from 'lit';
import type { ChatFailure } from '../../controllers/connection.controller.js';
import { icons } from '../../icons.js';
import type { AiChatStrings } from '../../strings.js';

/** The banner above the composer for a failure that is not a reply's (loading, creating, deleting…), with its way out. */
export function renderErrorBanner(failure: ChatFailure | null, strings: AiChatStrings, onDismiss: () => void) {
  if (!failure) return nothing;
  const message = failure.error instanceof Error && failure.error.message ? failure.error.message : strings.connectionError;
  return html`<div class="error" part="error" role="alert">${icons.alert}<p>${message}</p>
    ${failure.retry ? html`<button type="button" class="text-button" @click=${failure.retry}>${strings.tryAgain}</button>` : nothing}
    <button type="button" class="icon-button" aria-label=${strings.dismiss} @click=${onDismiss}>${icons.close}</button>
  </div>`;
}
