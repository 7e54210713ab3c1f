import { html, nothing } from 'lit';
import type { ChatFailure } from '../../controllers/connection.controller.js';
import { visitorErrorText } from '../../errors/visitor-error.js';
import { icons } from '../../icons.js';
import { DEFAULT_LIMITS, type ChatLimits } from '../../limits.js';
import type { AiChatStrings } from '../../strings.js';

/**
 * The banner above the composer for a failure that is not a reply's (loading, creating, sending, deleting…), with its
 * way out. It says what happened in a plain sentence; the server's own words stay in the `ai-error` event.
 */
export function renderErrorBanner(failure: ChatFailure | null, strings: AiChatStrings, onDismiss: () => void, limits: ChatLimits = DEFAULT_LIMITS, locale?: string) {
  if (!failure) return nothing;
  const message = visitorErrorText(failure.error, strings, limits.contentMaxLength, locale);
  return html`<div class="error" part="error" role="alert">${icons.alert}<p>${message}</p>
    ${failure.retry ? html`<button type="button" class="text-button" @click=${failure.retry}>${strings.tryAgain}</button>` : nothing}
    <button type="button" class="icon-button" aria-label=${strings.dismiss} @click=${onDismiss}>${icons.close}</button>
  </div>`;
}
