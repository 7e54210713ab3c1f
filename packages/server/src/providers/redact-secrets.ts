// Key shapes of the big vendors, redacted even when we do not know the exact key (e.g. a key a proxy added).
const KEY_PATTERN = /\b(sk|rk|pk)-[A-Za-z0-9_-]{8,}/g;

/** Removes API keys from text meant for logs: the exact `secrets` we hold, and anything shaped like a vendor key. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret.length >= 4) redacted = redacted.split(secret).join('[redacted]');
  }
  return redacted.replace(KEY_PATTERN, '[redacted]');
}
