import { z } from 'zod';

/** An AI model that a deployment offers. `provider` is `demo`, `openai`, `anthropic` or `openai-compatible`. */
export const ModelSchema = z.object({
  id: z.string(),
  label: z.string(),
  provider: z.string(),
  default: z.boolean(),
});
/** The shape of {@link ModelSchema}, as on the wire. */
export type Model = z.infer<typeof ModelSchema>;

/** `GET /api/models`. */
export const ListModelsResponseSchema = z.object({ models: z.array(ModelSchema) });
/** The shape of {@link ListModelsResponseSchema}, as on the wire. */
export type ListModelsResponse = z.infer<typeof ListModelsResponseSchema>;

/** The shape of a model id in a request: the server checks it against the configured models. */
export const ModelIdSchema = z.string().min(1, 'must not be empty').max(100);
