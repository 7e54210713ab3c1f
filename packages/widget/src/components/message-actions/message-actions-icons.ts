import { svg, type SVGTemplateResult } from 'lit';

const icon = (paths: SVGTemplateResult) => svg`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${paths}</svg>`;

/** The icons of the message actions (stroke icons on a 24px grid, decorative); thumbs down is thumbs up turned over. */
export const actionIcons = {
  copy: icon(svg`<rect x="9" y="9" width="11" height="11" rx="2"/><path d="M5 15V6a2 2 0 0 1 2-2h9"/>`),
  check: icon(svg`<path d="m5 12.5 4.5 4.5L19 7"/>`),
  thumb: icon(svg`<path d="M7 10v10H4V10Zm0 0 4-7a2 2 0 0 1 3 2l-1 4h6a2 2 0 0 1 2 2.3l-1.4 7A2 2 0 0 1 17.6 20H7"/>`),
};
