// Key shapes of the big vendors, redacted even when we do not know the exact key (e.g. a key a proxy added).
const KEY_PATTERN = /\b(sk|rk|pk)-[A-Za-z0-9_-]{8,}/g;

/** No run of this many characters of a secret, in any of its forms, may appear in what we write. */
export const SECRET_RUN_LENGTH = 8;

const REDACTED = '[redacted]';

/** A function that removes secrets from text: see {@link createSecretRedactor}. */
export type SecretRedactor = (text: string) => string;

/**
 * Builds a redactor for the given secrets: it removes every run of 8 characters taken from a secret as written, or
 * from its base64 (standard or URL-safe, at any alignment, so inside a longer encoded value such as a Basic
 * `user:key` too), and anything shaped like a vendor key. So an upstream that echoes a key whole, encoded, or only
 * its last 8 characters, inside JSON or not, leaves nothing of it behind. Secrets shorter than 8 characters are
 * removed where they appear whole.
 */
export function createSecretRedactor(secrets: readonly string[]): SecretRedactor {
  const runs = new Set<string>();
  const shortSecrets: string[] = [];
  for (const secret of secrets) {
    if (secret.length < SECRET_RUN_LENGTH) {
      if (secret.length >= 4) shortSecrets.push(secret);
      continue;
    }
    for (const form of formsOf(secret)) {
      for (let start = 0; start + SECRET_RUN_LENGTH <= form.length; start += 1) runs.add(form.slice(start, start + SECRET_RUN_LENGTH));
    }
  }
  return (text) => {
    let redacted = runs.size > 0 ? redactRuns(text, runs) : text;
    for (const secret of shortSecrets) redacted = redacted.split(secret).join(REDACTED);
    return redacted.replace(KEY_PATTERN, REDACTED);
  };
}

/** Removes API keys from text meant for logs: the `secrets` we hold in every form, and anything shaped like a key. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return createSecretRedactor(secrets)(text);
}

// The secret, and the characters of its base64 that depend on the secret alone, for each of the three alignments.
function formsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [secret];
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64').replace(/=+$/, '');
    // Leading characters mix in the padding bytes before; a trailing partial group mixes in whatever follows.
    const start = offset === 0 ? 0 : offset + 1;
    const end = (offset + bytes.length) % 3 === 0 ? encoded.length : encoded.length - 1;
    const stable = encoded.slice(start, end);
    forms.push(stable, stable.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}

function redactRuns(text: string, runs: Set<string>): string {
  let result = '';
  let copiedUpTo = 0;
  let coveredUpTo = -1;
  let openedAt = -1;
  for (let start = 0; start + SECRET_RUN_LENGTH <= text.length; start += 1) {
    if (!runs.has(text.slice(start, start + SECRET_RUN_LENGTH))) continue;
    if (start > coveredUpTo) {
      if (openedAt >= 0) result += REDACTED;
      result += text.slice(copiedUpTo, start);
      openedAt = start;
    }
    coveredUpTo = start + SECRET_RUN_LENGTH;
    copiedUpTo = coveredUpTo;
  }
  if (openedAt >= 0) result += REDACTED;
  return result + text.slice(copiedUpTo);
}
