import type { ConfigResponse } from '@ai-chat/protocol';

/** The server's limits the element enforces before sending (`GET /api/config`). */
export type ChatLimits = ConfigResponse['limits'];

/** The limits of this version's server, used until (or when) `GET /api/config` answers. */
export const DEFAULT_LIMITS: ChatLimits = { contentMaxLength: 32_000, titleMaxLength: 100 };

/** What the composer's counter shows for a draft. */
export interface DraftMeasure {
  /** Characters the message would have as sent (trimmed, in UTF-16 code units, as the server counts). */
  length: number;
  /** Characters left before the limit; negative when over it. */
  remaining: number;
  /** Whether the counter is shown: the draft is near the limit, or over it. */
  isNearLimit: boolean;
  /** Whether the draft is too long to send. */
  isOverLimit: boolean;
}

/**
 * Measures a draft against the longest message the server accepts. The counter appears once a tenth of the limit is
 * left (at least 100 characters before it, at most 2,000), so a visitor sees it coming well before the end.
 */
export function measureDraft(draft: string, limits: ChatLimits = DEFAULT_LIMITS): DraftMeasure {
  const length = draft.trim().length;
  const remaining = limits.contentMaxLength - length;
  const warnAt = Math.min(2_000, Math.max(100, Math.floor(limits.contentMaxLength / 10)));
  return { length, remaining, isNearLimit: remaining <= warnAt, isOverLimit: remaining < 0 };
}

/** Reads limits the server sent, falling back to the defaults for anything missing or not a positive integer. */
export function readLimits(config: { limits?: Partial<ChatLimits> } | null | undefined): ChatLimits {
  const valid = (value: unknown, fallback: number) => (Number.isInteger(value) && (value as number) > 0 ? (value as number) : fallback);
  return {
    contentMaxLength: valid(config?.limits?.contentMaxLength, DEFAULT_LIMITS.contentMaxLength),
    titleMaxLength: valid(config?.limits?.titleMaxLength, DEFAULT_LIMITS.titleMaxLength),
  };
}

/**
 * The error `ai-error` carries when the element refuses to send a message longer than the server accepts (the
 * visitor sees a sentence; the draft stays in the composer).
 */
export class MessageTooLongError extends Error {
  override name = 'MessageTooLongError';
  /** Like the SDK's errors: the contract's type for a message the server would refuse. */
  readonly type = 'invalid_request';
  /** Like a 400's details: the one complaint is the content's length (so the visitor reads the "too long" sentence). */
  readonly details: Array<{ path: string; message: string }>;
  constructor(
    /** The message's length, in characters. */
    readonly length: number,
    /** The longest message the server accepts. */
    readonly maxLength: number,
  ) {
    super(`content: must be at most ${maxLength} characters (this message has ${length})`);
    this.details = [{ path: 'content', message: `must be at most ${maxLength} characters` }];
  }
}
