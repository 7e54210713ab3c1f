/**
 * `@ai-chat/widget`: the `<ai-chat>` element.
 * @module
 */
export {};
