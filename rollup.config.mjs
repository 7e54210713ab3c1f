// Builds the browser bundles from the JavaScript that `tsc -b` emitted (run `npm run build`, which does both).
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

export default [
  // The SDK as one ES module for browsers: only the SDK and its SSE parser, never zod.
  {
    input: 'packages/sdk/dist/index.js',
    output: { file: 'packages/sdk/dist/browser/ai-chat-sdk.js', format: 'es', sourcemap: true },
    plugins: [nodeResolve({ browser: true }), minify],
  },
  // <ai-chat> as one self-contained ES module for a <script type="module"> tag: Lit, the SDK, marked and DOMPurify
  // inside, never zod (the widget imports only types from @ai-chat/sdk/protocol).
  {
    input: 'packages/widget/dist/lib/index.js',
    output: { file: 'packages/widget/dist/ai-chat.js', format: 'es', sourcemap: true },
    plugins: [squeezeWidgetCss, nodeResolve({ browser: true, exportConditions: ['production'] }), minify],
  },
];
