import { html, nothing } from 'lit';
import type { Model } from '@ai-chat/protocol';
import { icons } from '../../icons.js';
import type { AiChatStrings } from '../../strings.js';
import type { ComposerController } from './composer.controller.js';

/** What the composer shows, from the controllers and the element's configuration. */
export interface ComposerView {
  strings: AiChatStrings;
  models: Model[];
  selectedModel: string;
  isStreaming: boolean;
  isReady: boolean;
}

/** What sits next to the buttons under the text area. Empty for now: the place of the `counter` part (characters left). */
export function renderComposerStatus(_composer: ComposerController, _view: ComposerView) {
  return nothing;
}

function renderModelPicker(view: ComposerView, composer: ComposerController) {
  if (view.models.length === 0) return html`<span></span>`;
  return html`<select class="model-picker" part="model-picker" aria-label=${view.strings.modelLabel} title=${view.strings.modelLabel}
    @change=${composer.handleModelChange}>
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
