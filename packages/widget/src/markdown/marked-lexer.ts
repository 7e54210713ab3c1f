// The on-demand chunk with marked's lexer (`chunks/marked-lexer-<hash>.js`): rollup.config.mjs cuts marked's parser
// and renderer, and the element turns the lexer's tokens into Lit templates.
export { Lexer } from 'marked';
