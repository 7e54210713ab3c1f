import { requestEmptyWithToken, requestWithToken } from '../internal/client-context.js';
import type { ExportResponse, User, UserResponse, UserWithToken } from '@ai-chat/protocol';
import type { RequestOptions } from '../request-options.js';
import { ApiResource } from './api-resource.js';

/** The visitor or signed-in user behind the client (`/api/users`). */
export class Users extends ApiResource {
  /**
   * Makes sure the client has a token and returns it: the stored visitor's, a new anonymous visitor's (stored for
   * the next visit), or, with the client's `userToken`, the identified user's. Every other method calls it first,
   * and concurrent first calls share one request.
   * @example
   * await client.users.ensure();
   */
  ensure(options?: RequestOptions): Promise<string> {
    return this.context.identity.ensure(options);
  }

  /**
   * Creates a new anonymous visitor and uses it from now on, leaving the previous one behind.
   * @example
   * const { user } = await client.users.create();
   */
  create(options?: RequestOptions): Promise<UserWithToken> {
    return this.context.identity.createVisitor(options);
  }

  /**
   * Signs in with a JWT from the host site's backend (HS256, `sub` = the host's user id). The stored visitor's
   * sessions move to that user, and its token is used from now on.
   * @example
   * const { user } = await client.users.identify(jwtFromYourBackend);
   */
  identify(userToken: string, options?: RequestOptions): Promise<UserWithToken> {
    return this.context.identity.identify(userToken, options);
  }

  /**
   * The current user.
   * @example
   * const user = await client.users.retrieve();
   */
  async retrieve(options?: RequestOptions): Promise<User> {
    const request = { method: 'GET', path: '/api/users/me', isRetrySafe: true } as const;
    return (await requestWithToken<UserResponse>(this.context, request, options)).user;
  }

  /**
   * Erases the current user with every session and message, and forgets its token; the next call starts a new
   * visitor.
   * @example
   * await client.users.delete();
   */
  async delete(options?: RequestOptions): Promise<void> {
    const request = { method: 'DELETE', path: '/api/users/me', isRetrySafe: true } as const;
    await requestEmptyWithToken(this.context, request, options);
    this.context.identity.forget();
  }

  /**
   * Every session of the user with all its messages, e.g. for a "download my data" button.
   * @example
   * const { sessions } = await client.users.export();
   */
  export(options?: RequestOptions): Promise<ExportResponse> {
    return requestWithToken(this.context, { method: 'GET', path: '/api/users/me/export', isRetrySafe: true }, options);
  }

  /**
   * Signs out: revokes the token in use on the server (the user's other browsers stay signed in), forgets it, and
   * stops identifying with the client's `userToken`, so the next call starts a new anonymous visitor. Call it when
   * the host site signs its user out.
   * @example
   * await client.users.signOut();
   */
  signOut(options?: RequestOptions): Promise<void> {
    return this.context.identity.signOut(options);
  }

  /**
   * Forgets the token (in memory and in storage) without touching the server; prefer {@link Users.signOut}, which
   * also revokes it.
   * @example
   * client.users.forget();
   */
  forget(): void {
    this.context.identity.forget();
  }
}
