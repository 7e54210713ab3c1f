/**
 * What turns a message's markdown into tokens: marked's lexer, and the step that closes what a reply still streaming
 * has left open. The largest part of the element, so the bundle loads it as its own chunk (`chunks/lexer-<hash>.js`)
 * as soon as the bundle runs, in parallel with the element's first requests, and the main chunk stays small.
 */
export { Lexer } from 'marked';
export { closeOpenMarkdown } from './close-open-markdown.js';
