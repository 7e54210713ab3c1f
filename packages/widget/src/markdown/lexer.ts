/**
 * marked's lexer, the largest part of the element: the bundle loads it as its own chunk (`chunks/lexer-<hash>.js`)
 * as soon as the bundle runs, in parallel with the element's first requests, so the main chunk stays small.
 */
export { Lexer } from 'marked';
