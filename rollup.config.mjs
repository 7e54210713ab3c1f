// Builds the browser bundles from the JavaScript that `tsc -b` emitted (run `npm run build`, which does both).
import { rm } from 'node:fs/promises';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const minify = terser({ format: { comments: false }, ecma: 2022, module: true });

// The widget's styles are css`` literals that terser leaves as written: squeeze their whitespace (only whitespace,
// so values and selectors stay as they are).
const squeezeWidgetCss = {
  name: 'squeeze-widget-css',
  transform(code, id) {
    if (!/packages[\\/]widget[\\/]dist[\\/]lib[\\/].*\.styles\.js$/.test(id)) return null;
    return code.replace(/css`([^`]*)`/g, (_, body) => `css\`${body.replace(/\s+/g, ' ').replace(/\s*([{};,])\s*/g, '$1').replace(/:\s+/g, ':').trim()}\``);
  },
};

// The widget uses only marked's lexer (its tokens become Lit templates), but marked ships as one module whose default
// instance keeps the HTML parser and renderer alive. Cut that instance and export only the lexer; if a new marked
// lays its module out differently, say so and bundle it whole (the widget's size test then guards the budget).
const markedLexerOnly = {
  name: 'marked-lexer-only',
  transform(code, id) {
    if (!/[\\/]marked[\\/]lib[\\/]marked\.esm\.js$/.test(id)) return null;
    const exports = /export\s*\{([^}]*)\};?\s*(?:\/\/# sourceMappingURL=.*)?\s*$/.exec(code)?.[1] ?? '';
    const local = (name) => new RegExp(`(?:^|,)\\s*([\\w$]+) as ${name}\\s*(?:,|$)`).exec(exports)?.[1];
    const [lexer, marked] = [local('Lexer'), local('Marked')];
    const instance = marked && new RegExp(`(?:var|let|const) [\\w$]+=new ${marked.replaceAll('$', '\\$')}(?:\\(\\))?;`).exec(code);
    if (!lexer || !instance) {
      this.warn('marked changed its module layout: bundling all of it (parser and renderer included)');
      return null;
    }
    return { code: `${code.slice(0, instance.index)}export{${lexer} as Lexer};`, map: null };
  },
};

// The widget's on-demand chunks (one per language) are content-hashed: clear the old ones so only this build's are
// served next to the bundle.
const clearWidgetChunks = {
  name: 'clear-widget-chunks',
  buildStart: () => rm('packages/widget/dist/chunks', { recursive: true, force: true }),
};

export default [
  // The SDK as one ES module for browsers: only the SDK and its SSE parser, never zod.
  {
    input: 'packages/sdk/dist/index.js',
    output: { file: 'packages/sdk/dist/browser/ai-chat-sdk.js', format: 'es', sourcemap: true },
    plugins: [nodeResolve({ browser: true }), minify],
  },
  // <ai-chat> as one self-contained ES module for a <script type="module"> tag: Lit, the SDK and marked's lexer
  // inside, never zod (the widget imports only types from @ai-chat/protocol). No HTML sanitiser either: messages
  // are rendered as Lit templates, so nothing is ever parsed as HTML. What the element loads on demand (each
  // language but English, and the code highlighter) becomes `chunks/<name>-<hash>.js` beside it, which the server
  // serves at /widget/chunks/. A chunk shares no module with the bundle, so it never imports the bundle back.
  {
    input: 'packages/widget/dist/lib/index.js',
    output: {
      dir: 'packages/widget/dist',
      entryFileNames: 'ai-chat.js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      format: 'es',
      sourcemap: true,
    },
    plugins: [clearWidgetChunks, squeezeWidgetCss, markedLexerOnly, nodeResolve({ browser: true, exportConditions: ['production'] }), minify],
  },
];
