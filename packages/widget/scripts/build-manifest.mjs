// Writes custom-elements.json (the Custom Elements Manifest, schema 2.0) from the JSDoc and decorators of
// src/ai-chat.ts and the `@cssproperty` tags of src/ai-chat.styles.ts (the design tokens, documented beside their
// defaults), so editors and frameworks know <ai-chat>'s attributes, properties, methods, events, parts and
// CSS custom properties. Run with `--check` to fail when the committed manifest is out of date.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = await readFile(`${root}src/ai-chat.ts`, 'utf8');
const styles = await readFile(`${root}src/ai-chat.styles.ts`, 'utf8');

const toLines = (doc) => doc.split('\n').map((line) => line.replace(/^\s*\* ?/, '').trimEnd());
const classDoc = source.match(/\/\*\*([\s\S]*?)\*\/\s*export class AiChat/)?.[1] ?? '';
const tokensDoc = styles.match(/\/\*\*([\s\S]*?)\*\/\s*export const hostStyles/)?.[1] ?? '';
const docLines = toLines(classDoc);
const tokenLines = toLines(tokensDoc);
const tagged = (tag, lines = docLines) =>
  lines
    .filter((line) => line.startsWith(`@${tag} `))
    .map((line) => line.slice(tag.length + 2).match(/^(\S+)\s+-\s+(.*)$/))
    .filter(Boolean)
    .map(([, name, description]) => ({ name, description }));
const summary = docLines.find((line) => line.startsWith('@summary '))?.slice(9) ?? '';
const description = docLines.filter((line) => line && !line.startsWith('@')).join(' ');

const fields = [];
const attributes = [];
for (const match of source.matchAll(/\/\*\* (.+?) \*\/\n\s+@property\((.*?)\) (\w+)\??(?:: ([^=;]+))?(?: = ([^;]+))?;/g)) {
  const [, doc, options, name, type, initial] = match;
  const attribute = options.includes('attribute: false') ? undefined : (options.match(/attribute: '([\w-]+)'/)?.[1] ?? name.toLowerCase());
  const typeText = (type ?? (options.includes('Boolean') ? 'boolean' : 'string')).trim();
  const field = { kind: 'field', name, description: doc, type: { text: typeText }, ...(initial ? { default: initial.trim() } : {}), ...(attribute ? { attribute } : {}), ...(options.includes('reflect: true') ? { reflects: true } : {}) };
  fields.push(field);
  if (attribute) attributes.push({ name: attribute, fieldName: name, description: doc, type: { text: typeText }, ...(initial ? { default: initial.trim() } : {}) });
}

const methods = [];
for (const match of source.matchAll(/\/\*\* (.+?) \*\/\n\s+(open|close|toggle|newSession|selectSession|send|stop)\(([^)]*)\): ([^{]+)\{/g)) {
  const [, doc, name, parameters, returns] = match;
  const params = parameters.split(',').map((parameter) => parameter.trim()).filter(Boolean).map((parameter) => {
    const [paramName, paramType] = parameter.split(/\??:\s*/);
    return { name: paramName, type: { text: paramType }, ...(parameter.includes('?:') ? { optional: true } : {}) };
  });
  methods.push({ kind: 'method', name, description: doc, ...(params.length ? { parameters: params } : {}), return: { type: { text: returns.trim() } } });
}

const manifest = {
  schemaVersion: '2.0.0',
  readme: 'README.md',
  modules: [
    {
      kind: 'javascript-module',
      path: 'dist/lib/ai-chat.js',
      declarations: [
        {
          kind: 'class',
          name: 'AiChat',
          tagName: 'ai-chat',
          customElement: true,
          summary,
          description,
          superclass: { name: 'LitElement', package: 'lit' },
          attributes,
          members: [...fields, ...methods],
          events: tagged('event').map(({ name, description }) => ({ name, description, type: { text: 'Event' } })),
          cssParts: tagged('csspart'),
          cssProperties: tagged('cssproperty', tokenLines).map(({ name, description }) => ({ name, description, default: description.match(/Default: (.+?)(?: \(dark: [^)]*\))?\.?$/)?.[1] })),
        },
      ],
      exports: [
        { kind: 'js', name: 'AiChat', declaration: { name: 'AiChat', module: 'dist/lib/ai-chat.js' } },
        { kind: 'custom-element-definition', name: 'ai-chat', declaration: { name: 'AiChat', module: 'dist/lib/ai-chat.js' } },
      ],
    },
  ],
};

const text = `${JSON.stringify(manifest, null, 2)}\n`;
const target = `${root}custom-elements.json`;
if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current !== text) {
    console.error('custom-elements.json is out of date: run `npm run manifest -w @ai-chat/widget`');
    process.exit(1);
  }
} else {
  await writeFile(target, text);
  console.log(`wrote ${target}: ${attributes.length} attributes, ${methods.length} methods, ${manifest.modules[0].declarations[0].events.length} events`);
}
