import * as protocol from '@ai-chat/protocol';
import { z } from 'zod';

type Schema = z.ZodType;

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  auth?: boolean;
  params?: boolean;
  query?: Schema;
  body?: Schema;
  responses: Record<number, Schema | 'empty' | 'stream'>;
}

const operations: Operation[] = [
  { method: 'post', path: '/api/users', summary: 'Create an anonymous visitor', auth: false, body: protocol.CreateUserRequestSchema, responses: { 201: protocol.UserWithTokenSchema } },
  { method: 'post', path: '/api/users/identify', summary: "Identify a host site's user with a signed token", auth: false, body: protocol.IdentifyRequestSchema, responses: { 200: protocol.UserWithTokenSchema } },
  { method: 'get', path: '/api/users/me', summary: 'The current user', responses: { 200: protocol.UserResponseSchema } },
  { method: 'delete', path: '/api/users/me', summary: 'Erase the current user with every session and message', responses: { 204: 'empty' } },
  { method: 'post', path: '/api/users/me/sign-out', summary: 'Revoke the bearer token of the call (sign this browser out)', responses: { 204: 'empty' } },
  { method: 'get', path: '/api/users/me/export', summary: 'Every session with its messages', responses: { 200: protocol.ExportResponseSchema } },
  { method: 'get', path: '/api/config', summary: 'Limits and starter prompts the element needs before a visitor types', auth: false, responses: { 200: protocol.ConfigResponseSchema } },
  { method: 'get', path: '/api/models', summary: 'The models this deployment offers', responses: { 200: protocol.ListModelsResponseSchema } },
  { method: 'post', path: '/api/sessions', summary: 'Create a session', body: protocol.CreateSessionRequestSchema, responses: { 201: protocol.SessionResponseSchema } },
  { method: 'get', path: '/api/sessions', summary: 'List sessions, most recently active first; with `q`, search them by title and message text (best matches first, each with the matching snippet)', query: protocol.ListSessionsQuerySchema, responses: { 200: protocol.ListSessionsResponseSchema } },
  { method: 'get', path: '/api/sessions/{id}', summary: 'Retrieve a session', params: true, responses: { 200: protocol.SessionResponseSchema } },
  { method: 'patch', path: '/api/sessions/{id}', summary: "Rename a session or change its model", params: true, body: protocol.UpdateSessionRequestSchema, responses: { 200: protocol.SessionResponseSchema } },
  { method: 'delete', path: '/api/sessions/{id}', summary: 'Delete a session and its messages', params: true, responses: { 204: 'empty' } },
  { method: 'post', path: '/api/sessions/{id}/stop', summary: 'Stop the reply being written in a session', params: true, responses: { 202: 'empty' } },
  { method: 'get', path: '/api/sessions/{id}/messages', summary: "A page of the messages a session shows (one version per turn, with `versions` where there are others), oldest first", params: true, query: protocol.ListMessagesQuerySchema, responses: { 200: protocol.ListMessagesResponseSchema } },
  { method: 'post', path: '/api/chat', summary: 'Send a message (`content`), regenerate the last reply (`regenerate: true`) or edit a user message (`editOf` + `content`), and stream (text/event-stream) or await (application/json) the reply. Earlier versions stay stored.', body: protocol.ChatRequestSchema, responses: { 200: protocol.ChatResponseSchema } },
  { method: 'post', path: '/api/messages/{id}/show', summary: 'Show this version of a message, with the branch that followed it; returns the messages from it to the end', params: true, responses: { 200: protocol.ShowMessageResponseSchema } },
  { method: 'put', path: '/api/messages/{id}/feedback', summary: 'Rate a reply up or down with an optional reason (≤ 500 characters); `rating: null` takes the rating back', params: true, body: protocol.FeedbackRequestSchema, responses: { 200: protocol.MessageResponseSchema } },
];

const jsonSchema = (schema: Schema, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;

/**
 * The OpenAPI 3.1 description of the HTTP API, generated from the same zod schemas the server validates with, so
 * the two cannot drift apart.
 */
export function createOpenApiDocument(): Record<string, unknown> {
  const errorResponse = { description: 'An error in the contract shape', content: { 'application/json': { schema: jsonSchema(protocol.ErrorBodySchema, 'output') } } };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const parameters: unknown[] = [];
    if (operation.params) parameters.push({ name: 'id', in: 'path', required: true, schema: jsonSchema(protocol.IdSchema, 'input') });
    if (operation.query) {
      const query = jsonSchema(operation.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(query.properties ?? {})) {
        parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
      }
    }
    const responses: Record<string, unknown> = { default: errorResponse };
    for (const [status, schema] of Object.entries(operation.responses)) {
      responses[status] =
        schema === 'empty'
          ? { description: 'No content' }
          : {
              description: 'Success',
              content: {
                'application/json': { schema: jsonSchema(schema as Schema, 'output') },
                ...(operation.path === '/api/chat'
                  ? { 'text/event-stream': { schema: { type: 'string', description: 'Events: ' + eventNames() } } }
                  : {}),
              },
            };
    }
    paths[operation.path] = {
      ...paths[operation.path],
      [operation.method]: {
        summary: operation.summary,
        ...(operation.auth === false ? { security: [] } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(operation.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(operation.body, 'input') } } } } : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'ai-chat', version: '0.1.0', description: 'The HTTP API of ai-chat. Chat events: ' + eventNames() },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { ChatEvent: jsonSchema(protocol.ChatEventSchema, 'output'), Error: jsonSchema(protocol.ErrorBodySchema, 'output') },
    },
    security: [{ bearer: [] }],
    paths,
  };
}

function eventNames(): string {
  return 'message-start, text-delta, session-update, message-end, error (see components.schemas.ChatEvent)';
}
