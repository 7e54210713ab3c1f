import { refractor } from 'refractor/core';
import bash from 'refractor/bash';
import c from 'refractor/c';
import cpp from 'refractor/cpp';
import css from 'refractor/css';
import diff from 'refractor/diff';
import go from 'refractor/go';
import java from 'refractor/java';
import javascript from 'refractor/javascript';
import json from 'refractor/json';
import jsx from 'refractor/jsx';
import markup from 'refractor/markup';
import python from 'refractor/python';
import ruby from 'refractor/ruby';
import rust from 'refractor/rust';
import sql from 'refractor/sql';
import tsx from 'refractor/tsx';
import typescript from 'refractor/typescript';
import yaml from 'refractor/yaml';

// This module is the on-demand chunk (`chunks/highlight-<hash>.js`): it imports nothing from the element, so the
// chunk never loads a second copy of the bundle, and hands back plain data that the element turns into Lit templates.
for (const syntax of [bash, c, cpp, css, diff, go, java, javascript, json, jsx, markup, python, ruby, rust, sql, tsx, typescript, yaml]) {
  refractor.register(syntax);
}

/** One run of highlighted code: its text and the token types it belongs to (`keyword`, `string`, …; empty for plain). */
export interface HighlightToken {
  text: string;
  types: string[];
}

type Node = { type: string; value?: string; properties?: { className?: unknown }; children?: Node[] };

/**
 * Splits code into runs of text with Prism's token types, or returns `undefined` for a language it does not know
 * (the code then stays plain). Languages: bash/sh/shell, c, cpp, css, diff, go, java, javascript/js, json, jsx,
 * html/xml/svg, python/py, ruby/rb, rust, sql, tsx, typescript/ts, yaml/yml.
 */
export function highlight(code: string, language: string): HighlightToken[] | undefined {
  const name = language.toLowerCase();
  // `languages` also holds Prism's helpers (`extend`, `insertBefore`, …): only a grammar object is a language.
  if (!Object.hasOwn(refractor.languages, name) || typeof refractor.languages[name] !== 'object') return undefined;
  const tokens: HighlightToken[] = [];
  flatten(refractor.highlight(code, name).children as Node[], [], tokens);
  return tokens;
}

/** Walks the token tree depth first; a run takes the types of its innermost token, which decide its colour. */
function flatten(nodes: Node[], types: string[], tokens: HighlightToken[]): void {
  for (const node of nodes) {
    if (node.type === 'text') {
      const last = tokens.at(-1);
      if (last && last.types === types) last.text += node.value ?? '';
      else tokens.push({ text: node.value ?? '', types });
    } else if (node.children) {
      const className = node.properties?.className;
      const own = Array.isArray(className) ? className.filter((value): value is string => typeof value === 'string' && value !== 'token') : [];
      flatten(node.children, own.length > 0 ? own : types, tokens);
    }
  }
}
