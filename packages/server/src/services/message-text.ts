import { PREVIEW_LENGTH } from '@ai-chat/protocol';
import { Lexer, type Token, type Tokens } from 'marked';

/** The longest title taken from a first message. */
export const TITLE_LENGTH = 60;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Collapses whitespace and trims a text to at most `max` UTF-16 units at a word boundary, with an ellipsis. The cut
 * falls between graphemes, never inside a surrogate pair, an emoji sequence or a letter with its accents.
 */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  let end = 0;
  // Only graphemes that end within the prefix are kept, so segmenting the prefix alone gives the same boundaries.
  for (const { segment, index } of graphemes.segment(flat.slice(0, max))) {
    if (index + segment.length > max - 1) break;
    end = index + segment.length;
  }
  const cut = flat.slice(0, end);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}

/** A new session's title from its first message: one line, at most 60 characters, cut between words. */
export function titleFromMessage(content: string): string {
  return shorten(plainTextOf(content), TITLE_LENGTH) || 'New chat';
}

/** The one-line preview of a message that the session list shows (at most 160 characters). */
export function previewOf(content: string): string {
  return shorten(plainTextOf(content), PREVIEW_LENGTH);
}

/**
 * The words of a markdown message without its markup, as the markdown lexer reads it: emphasis and headings lose
 * their marks, a link keeps its text, an image its alt text, code its characters, and whatever is not markup (`5 > 3`,
 * `C#`, `snake_case_name`, `2*3`) stays as typed.
 */
export function plainTextOf(markdown: string): string {
  return Lexer.lex(markdown).map(textOf).join(' ');
}

function textOf(token: Token): string {
  switch (token.type) {
    case 'space':
    case 'hr':
    case 'br':
      return ' ';
    case 'def':
    case 'checkbox':
      return '';
    case 'escape':
      return token.raw.slice(1);
    case 'code':
    case 'codespan':
    case 'image':
      return token.text;
    case 'html':
      return token.raw;
    case 'list':
      return token.items.map(textOf).join(' ');
    case 'blockquote':
    case 'list_item':
      return (token.tokens ?? []).map(textOf).join(' ');
    case 'table':
      return [token.header, ...token.rows].map((row) => row.map((cell: Tokens.TableCell) => joinText(cell.tokens)).join(' ')).join(' ');
    default:
      return 'tokens' in token && token.tokens ? joinText(token.tokens) : String(token.raw ?? '');
  }
}

function joinText(tokens: Token[]): string {
  return tokens.map(textOf).join('');
}
