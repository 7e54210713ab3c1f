import { css } from 'lit';

/**
 * Colours of highlighted code (token classes `t-<Prism token type>`), each a `--ai-chat-code-*` custom property a host
 * page may set. The defaults follow the element's light or dark scheme and keep at least 4.5:1 contrast on the
 * default code background.
 */
export const highlightStyles = css`
  .t-comment, .t-prolog, .t-doctype, .t-cdata {
    color: var(--ai-chat-code-comment, light-dark(#57606a, #8b949e));
    font-style: italic;
  }
  .t-keyword, .t-atrule, .t-important, .t-rule, .t-directive {
    color: var(--ai-chat-code-keyword, light-dark(#cf222e, #ff7b72));
  }
  .t-string, .t-char, .t-attr-value, .t-regex, .t-url, .t-template-string {
    color: var(--ai-chat-code-string, light-dark(#0a3069, #a5d6ff));
  }
  .t-number, .t-boolean, .t-constant, .t-symbol, .t-property, .t-attr-name, .t-entity {
    color: var(--ai-chat-code-number, light-dark(#0550ae, #79c0ff));
  }
  .t-function, .t-function-definition, .t-decorator {
    color: var(--ai-chat-code-function, light-dark(#6639ba, #d2a8ff));
  }
  .t-class-name, .t-builtin, .t-variable, .t-namespace {
    color: var(--ai-chat-code-type, light-dark(#953800, #ffa657));
  }
  .t-tag, .t-selector, .t-inserted {
    color: var(--ai-chat-code-tag, light-dark(#116329, #7ee787));
  }
  .t-deleted {
    color: var(--ai-chat-code-deleted, light-dark(#82071e, #ffa198));
  }
`;
