import { expect } from 'vitest';

/** A response as tests look at it. */
export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** Options of one test request. */
export interface TestRequestOptions {
  token?: string | undefined;
  body?: unknown;
  /** A raw body sent as is (with the given content type, if any). */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

/** A tiny HTTP client for tests of the real server over loopback: JSON in, JSON (or text) out, nothing hidden. */
export function httpClient(baseUrl: string) {
  async function request<T = any>(method: string, path: string, options: TestRequestOptions = {}): Promise<TestResponse<T>> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    let body: string | Buffer | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body as BodyInit | undefined });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  return {
    request,
    get: <T = any>(path: string, options?: TestRequestOptions) => request<T>('GET', path, options),
    post: <T = any>(path: string, options?: TestRequestOptions) => request<T>('POST', path, options),
    put: <T = any>(path: string, options?: TestRequestOptions) => request<T>('PUT', path, options),
    patch: <T = any>(path: string, options?: TestRequestOptions) => request<T>('PATCH', path, options),
    delete: <T = any>(path: string, options?: TestRequestOptions) => request<T>('DELETE', path, options),
    /** Creates an anonymous visitor and returns its token. */
    async createUser(): Promise<{ token: string; id: string }> {
      const response = await request('POST', '/api/users');
      if (response.status !== 201) throw new Error(`creating a user failed: ${response.status} ${response.text}`);
      return { token: response.body.token, id: response.body.user.id };
    },
    /** Creates a session for a user and returns it. */
    async createSession(token: string, body: Record<string, unknown> = {}) {
      const response = await request('POST', '/api/sessions', { token, body });
      if (response.status !== 201) throw new Error(`creating a session failed: ${response.status} ${response.text}`);
      return response.body.session as { id: string; title: string; model: string; messageCount: number; updatedAt: string };
    },
  };
}

/** An error body in the contract's shape, for `expect(...).toMatchObject(errorShape('not_found'))`. */
export function errorShape(type: string) {
  return { error: { type, message: expect.any(String), details: expect.any(Array), requestId: expect.any(String) } };
}
