import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { Model } from '@ai-chat/protocol';
import { icons } from '../../icons.js';
import { DEFAULT_LIMITS, measureDraft } from '../../limits.js';
import type { AiChatStrings } from '../../strings.js';
import type { ComposerController } from './composer.controller.js';

/** What the composer shows, from the controllers and the element's configuration. */
export interface ComposerView {
  strings: AiChatStrings;
  models: Model[];
  selectedModel: string;
  isStreaming: boolean;
  isReady: boolean;
  /** The element's locale, for the counter's number. */
  locale?: string | undefined;
}

/**
 * What sits next to the buttons under the text area: the `counter` part as the draft nears the server's limit
 * (characters left), and over it (characters too many; sending is then refused with a sentence, the text kept).
 */
export function renderComposerStatus(composer: ComposerController, view: ComposerView) {
  const measure = measureDraft(composer.draft, composer.limits ?? DEFAULT_LIMITS);
  if (!measure.isNearLimit) return nothing;
  const count = new Intl.NumberFormat(view.locale).format(Math.abs(measure.remaining));
  const text = (measure.isOverLimit ? view.strings.charactersOver : view.strings.charactersLeft).replace('{count}', count);
  return html`<span class=${measure.isOverLimit ? 'counter over' : 'counter'} part="counter" aria-live="polite">${text}</span>`;
}

function renderModelPicker(view: ComposerView, composer: ComposerController) {
  if (view.models.length === 0) return html`<span></span>`;
  // `selected` on the options draws the first render; the live `value` keeps the picker on the model that writes the
  // next reply afterwards (a session selected, moved elsewhere), which an option's attribute no longer can once the
  // visitor has picked one.
  return html`<select class="model-picker" part="model-picker" aria-label=${view.strings.modelLabel} title=${view.strings.modelLabel}
    .value=${live(view.selectedModel)} @change=${composer.handleModelChange}>
    ${view.models.map((model) => html`<option value=${model.id} ?selected=${model.id === view.selectedModel}>${model.label}</option>`)}
  </select>`;
}

/** The text area with the model picker and the send (or stop) button. */
export function renderComposer(view: ComposerView, composer: ComposerController) {
  const { strings } = view;
  const canSend = view.isReady && composer.draft.trim().length > 0;
  return html`<div class="composer" part="composer">
    <textarea class="input" part="input" rows="1" aria-label=${strings.placeholder} placeholder=${strings.placeholder}
      .value=${composer.draft} @input=${composer.handleInput} @keydown=${composer.handleKeydown}
      @compositionstart=${composer.handleCompositionStart} @compositionend=${composer.handleCompositionEnd}></textarea>
    <div class="composer-row">
      ${renderModelPicker(view, composer)}
      ${renderComposerStatus(composer, view)}
      ${view.isStreaming
        ? html`<button type="button" class="stop" part="stop" aria-label=${strings.stop} title=${strings.stop} @click=${composer.handleStopClick}>${icons.stop}</button>`
        : html`<button type="button" class="send" part="send" aria-label=${strings.send} title=${strings.send}
            ?disabled=${!canSend} @click=${composer.handleSendClick}>${icons.send}</button>`}
    </div>
  </div>`;
}
