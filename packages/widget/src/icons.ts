import { svg, type SVGTemplateResult } from 'lit';

// Stroke icons drawn on a 24px grid; decorative, so hidden from assistive technology.
const icon = (paths: SVGTemplateResult) =>
  svg`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${paths}</svg>`;

/** The icons the element draws, as Lit templates. */
export const icons = {
  chat: icon(svg`<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12Z"/>`),
  close: icon(svg`<path d="M6 6l12 12M18 6 6 18"/>`),
  chevron: icon(svg`<path d="m6 9 6 6 6-6"/>`),
  compose: icon(svg`<path d="M12 20h9"/><path d="M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4Z"/>`),
  plus: icon(svg`<path d="M12 5v14M5 12h14"/>`),
  send: icon(svg`<path d="M12 19V5M5 12l7-7 7 7"/>`),
  stop: icon(svg`<rect x="7" y="7" width="10" height="10" rx="2" fill="currentColor" stroke="none"/>`),
  trash: icon(svg`<path d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3"/>`),
  pencil: icon(svg`<path d="M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4Z"/>`),
  sparkle: icon(svg`<path d="M12 3v4M12 17v4M3 12h4M17 12h4M6 6l2.5 2.5M15.5 15.5 18 18M6 18l2.5-2.5M15.5 8.5 18 6"/>`),
  arrowDown: icon(svg`<path d="M12 5v14M5 12l7 7 7-7"/>`),
  alert: icon(svg`<circle cx="12" cy="12" r="9"/><path d="M12 8v5M12 16h.01"/>`),
  retry: icon(svg`<path d="M3 12a9 9 0 0 1 15.5-6.2L21 8M21 3v5h-5M21 12a9 9 0 0 1-15.5 6.2L3 16M3 21v-5h5"/>`),
};
