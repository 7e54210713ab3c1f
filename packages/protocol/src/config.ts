import { z } from 'zod';
import { MAX_CONTENT_LENGTH } from './chat.js';
import { TITLE_MAX_LENGTH } from './sessions.js';

/** The most starter prompts a deployment (or a page) offers at once. */
export const MAX_STARTERS = 12;

/** A starter prompt the empty conversation offers as a button: `prompt` is sent, `label` (if any) is shown. */
export const StarterSchema = z.strictObject({
  prompt: z.string().trim().min(1, 'must not be empty').max(MAX_CONTENT_LENGTH, `must be at most ${MAX_CONTENT_LENGTH} characters`),
  label: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters').optional(),
});
/** The shape of {@link StarterSchema}, as on the wire. */
export type Starter = z.infer<typeof StarterSchema>;

/** A list of starters as a deployment or page writes them: plain prompts, or `{ prompt, label }` objects. */
export const StartersInputSchema = z
  .array(z.preprocess((value) => (typeof value === 'string' ? { prompt: value } : value), StarterSchema))
  .max(MAX_STARTERS, `must hold at most ${MAX_STARTERS} starters`);

/** `GET /api/config`: what the element needs before a visitor types (no token needed). */
export const ConfigResponseSchema = z.object({
  limits: z.object({
    /** The longest message `POST /api/chat` accepts, in characters (UTF-16 code units, as JavaScript counts). */
    contentMaxLength: z.number().int().positive(),
    /** The longest session title, in characters. */
    titleMaxLength: z.number().int().positive(),
  }),
  starters: z.array(StarterSchema),
});
/** The shape of {@link ConfigResponseSchema}, as on the wire. */
export type ConfigResponse = z.infer<typeof ConfigResponseSchema>;

/** The limits every deployment of this version enforces. */
export const LIMITS: ConfigResponse['limits'] = { contentMaxLength: MAX_CONTENT_LENGTH, titleMaxLength: TITLE_MAX_LENGTH };
