import { requestWithToken } from '../internal/client-context.js';
import type { ListModelsResponse } from '@ai-chat/protocol';
import type { RequestOptions } from '../request-options.js';
import { ApiResource } from './api-resource.js';

/** The AI models the deployment offers (`GET /api/models`). */
export class Models extends ApiResource {
  /**
   * Every model, with the deployment's default flagged.
   * @example
   * const { models } = await client.models.list();
   * const model = models.find((candidate) => candidate.default)?.id;
   */
  list(options?: RequestOptions): Promise<ListModelsResponse> {
    return requestWithToken(this.context, { method: 'GET', path: '/api/models', isRetrySafe: true }, options);
  }
}
