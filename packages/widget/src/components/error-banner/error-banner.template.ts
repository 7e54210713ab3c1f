import { html, nothing } from 'lit';
import type { ChatFailure } from '../../controllers/connection.controller.js';
import { describeError } from '../../i18n/describe-error.js';
import { icons } from '../../icons.js';
import type { AiChatStrings } from '../../strings.js';

/** The banner above the composer for a failure that is not a reply's (loading, creating, deleting…), with its way out. */
export function renderErrorBanner(failure: ChatFailure | null, strings: AiChatStrings, locale: string, onDismiss: () => void) {
  if (!failure) return nothing;
  // The sentence for the failure's kind in the visitor's language (offline, rate limited, …), not the server's text.
  const message = describeError(failure.error, strings, locale) || strings.connectionError;
  return html`<div class="error" part="error" role="alert">${icons.alert}<p>${message}</p>
    ${failure.retry ? html`<button type="button" class="text-button" @click=${failure.retry}>${strings.tryAgain}</button>` : nothing}
    <button type="button" class="icon-button" aria-label=${strings.dismiss} @click=${onDismiss}>${icons.close}</button>
  </div>`;
}
