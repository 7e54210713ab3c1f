/**
 * The error every model throws when the caller's signal stops a reply. Its name is `AbortError`, like `fetch`'s, so
 * the chat service can tell a visitor's stop from a provider failure.
 */
export function createAbortError(): DOMException {
  return new DOMException('The reply was stopped.', 'AbortError');
}

/** Whether an error means "stopped on purpose" rather than "failed". */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
