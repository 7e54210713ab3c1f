import { html } from 'lit';
import type { Model } from '@ai-chat/protocol';
import { icons } from './icons.js';
import type { AiChatStrings } from './strings.js';

/** What the composer shows. */
export interface ComposerView {
  draft: string;
  strings: AiChatStrings;
  models: Model[];
  selectedModel: string;
  isStreaming: boolean;
  isReady: boolean;
}

/** The composer's event listeners. */
export interface ComposerHandlers {
  input: (event: Event) => void;
  keydown: (event: KeyboardEvent) => void;
  compositionStart: () => void;
  compositionEnd: () => void;
  send: () => void;
  stop: () => void;
  model: (event: Event) => void;
}

/** The text area with the model picker and the send (or stop) button. */
export function renderComposer(view: ComposerView, handlers: ComposerHandlers) {
  const { strings } = view;
  const canSend = view.isReady && view.draft.trim().length > 0;
  return html`<div class="composer" part="composer">
    <textarea class="input" part="input" rows="1" aria-label=${strings.placeholder} placeholder=${strings.placeholder}
      .value=${view.draft} @input=${handlers.input} @keydown=${handlers.keydown}
      @compositionstart=${handlers.compositionStart} @compositionend=${handlers.compositionEnd}></textarea>
    <div class="composer-row">
      ${view.models.length > 0
        ? html`<select class="model-picker" part="model-picker" aria-label=${strings.modelLabel} title=${strings.modelLabel}
            @change=${handlers.model}>
            ${view.models.map((model) => html`<option value=${model.id} ?selected=${model.id === view.selectedModel}>${model.label}</option>`)}
          </select>`
        : html`<span></span>`}
      ${view.isStreaming
        ? html`<button type="button" class="stop" part="stop" aria-label=${strings.stop} title=${strings.stop} @click=${handlers.stop}>${icons.stop}</button>`
        : html`<button type="button" class="send" part="send" aria-label=${strings.send} title=${strings.send}
            ?disabled=${!canSend} @click=${handlers.send}>${icons.send}</button>`}
    </div>
  </div>`;
}
