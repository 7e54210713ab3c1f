import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The server's Prometheus metrics, kept in a registry of their own so several apps can live in one process. */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  openStreams: Gauge;
  timeToFirstToken: Histogram<'model'>;
  tokensStreamed: Counter<'model' | 'direction'>;
  providerErrors: Counter<'model' | 'type'>;
  replies: Counter<'model' | 'status'>;
  /** Ratings visitors gave replies (`up`, `down`, or `cleared` when taken back), counted when a rating changes. */
  feedback: Counter<'model' | 'rating'>;
}

/** Creates the metrics of one app, with Node's default process metrics. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ai_chat_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'ai_chat_http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'ai_chat_http_request_duration_seconds',
      help: 'HTTP request durations (until the response started for streams)',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    openStreams: new Gauge({ name: 'ai_chat_open_streams', help: 'Replies being generated right now', registers }),
    timeToFirstToken: new Histogram({
      name: 'ai_chat_time_to_first_token_seconds',
      help: 'Time from the provider call to the first text of a reply',
      labelNames: ['model'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32],
      registers,
    }),
    tokensStreamed: new Counter({
      name: 'ai_chat_tokens_total',
      help: 'Tokens reported by providers, by direction (input or output)',
      labelNames: ['model', 'direction'],
      registers,
    }),
    providerErrors: new Counter({
      name: 'ai_chat_provider_errors_total',
      help: 'Failed replies by model and error type',
      labelNames: ['model', 'type'],
      registers,
    }),
    replies: new Counter({
      name: 'ai_chat_replies_total',
      help: 'Finished replies by model and final status',
      labelNames: ['model', 'status'],
      registers,
    }),
    feedback: new Counter({
      name: 'ai_chat_feedback_total',
      help: 'Ratings of replies by model and rating (up, down, or cleared), counted when a rating changes',
      labelNames: ['model', 'rating'],
      registers,
    }),
  };
}
