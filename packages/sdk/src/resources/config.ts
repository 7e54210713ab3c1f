import type { ConfigResponse } from '@ai-chat/protocol';
import type { RequestOptions } from '../request-options.js';
import { ApiResource } from './api-resource.js';

/** What a deployment tells clients before a visitor types (`GET /api/config`): limits and starter prompts. */
export class Config extends ApiResource {
  /**
   * The deployment's limits (longest message, longest title) and its starter prompts. Needs no visitor token.
   * @example
   * const { limits, starters } = await client.config.retrieve();
   * if (draft.length > limits.contentMaxLength) console.log('too long');
   */
  retrieve(options?: RequestOptions): Promise<ConfigResponse> {
    return this.context.transport.json<ConfigResponse>({ method: 'GET', path: '/api/config', isRetrySafe: true }, options);
  }
}
