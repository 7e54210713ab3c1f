import type { ListSessionsResponse, SessionListItem } from '@ai-chat/protocol';
import type { Types } from 'mongoose';
import type { TextHit } from '../data/message.store.js';
import type { Stores } from '../data/stores.js';
import { AppError } from '../errors/app-error.js';
import { toSessionSummary, type ChatSessionRecord } from '../models/index.js';
import { searchSnippet } from './search-snippet.js';
import { toTextSearch } from './search-terms.js';

/** The most messages one search reads (the best first; ids and scores only): the sessions they are in can be found. */
const MESSAGE_HITS = 500;
/** The most sessions one search finds by title. */
const TITLE_HITS = 100;
/** A word in the title says more about a session than the same word in one of its messages. */
const TITLE_WEIGHT = 2;

interface Ranked {
  sessionId: string;
  score: number;
  session?: ChatSessionRecord | undefined;
  hit?: TextHit | undefined;
}

/**
 * Searches a user's sessions by title and by the text of the messages they show, with MongoDB text indexes (whole
 * words by their stem; any of the words). Each session found once, best first (its best title or message score),
 * with the snippet of its best message. Pages with an opaque cursor, like the plain list.
 */
export class SessionSearch {
  constructor(private readonly stores: Stores) {}

  /** One page of the sessions matching `query`. */
  async search(owner: Types.ObjectId, query: string, limit: number, cursor?: string): Promise<ListSessionsResponse> {
    const offset = cursor ? decodeSearchCursor(cursor) : 0;
    const search = toTextSearch(query);
    if (!search) return { sessions: [], nextCursor: null };
    const [hits, titled] = await Promise.all([
      this.stores.messages.searchText(owner, search, MESSAGE_HITS),
      this.stores.sessions.searchTitles(owner, search, TITLE_HITS),
    ]);
    const ranked = rank(hits, titled);
    const page = ranked.slice(offset, offset + limit);
    const [, contents] = await Promise.all([this.loadSessions(owner, page), this.readContents(owner, page)]);
    const sessions: SessionListItem[] = page
      .filter((entry) => entry.session)
      .map((entry) => {
        const content = entry.hit && contents.get(entry.hit._id.toHexString());
        return { ...toSessionSummary(entry.session!), ...(content !== undefined && entry.hit ? { match: searchSnippet(entry.hit._id.toHexString(), content, search) } : {}) };
      });
    return { sessions, nextCursor: ranked.length > offset + limit ? encodeSearchCursor(offset + limit) : null };
  }

  private async readContents(owner: Types.ObjectId, page: Ranked[]): Promise<Map<string, string>> {
    const ids = page.flatMap((entry) => (entry.hit ? [entry.hit._id] : []));
    if (ids.length === 0) return new Map();
    return new Map((await this.stores.messages.readContents(owner, ids)).map((message) => [message._id.toHexString(), message.content]));
  }

  // Sessions found only through their messages are read now, for the page alone (erased ones drop out here).
  private async loadSessions(owner: Types.ObjectId, page: Ranked[]): Promise<void> {
    const missing = page.filter((entry) => !entry.session).map((entry) => entry.hit!.sessionId);
    if (missing.length === 0) return;
    const found = new Map((await this.stores.sessions.findManyOwned(owner, missing)).map((session) => [session._id.toHexString(), session]));
    for (const entry of page) entry.session ??= found.get(entry.sessionId);
  }
}

function rank(hits: TextHit[], titled: (ChatSessionRecord & { score: number })[]): Ranked[] {
  const bySession = new Map<string, Ranked>();
  for (const session of titled) {
    const sessionId = session._id.toHexString();
    bySession.set(sessionId, { sessionId, score: session.score * TITLE_WEIGHT, session });
  }
  // Hits come best first: the first one of a session is its best message.
  for (const hit of hits) {
    const sessionId = hit.sessionId.toHexString();
    const entry = bySession.get(sessionId);
    if (!entry) bySession.set(sessionId, { sessionId, score: hit.score, hit });
    else if (!entry.hit) Object.assign(entry, { hit, score: Math.max(entry.score, hit.score) });
  }
  return [...bySession.values()].sort((left, right) => right.score - left.score || right.sessionId.localeCompare(left.sessionId));
}

function encodeSearchCursor(offset: number): string {
  return Buffer.from(`search.${offset}`).toString('base64url');
}

function decodeSearchCursor(value: string): number {
  const match = /^search\.(\d{1,6})$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!match) {
    throw new AppError('invalid_request', 'cursor: is not a cursor this server issued for this search', {
      details: [{ path: 'cursor', message: 'is not a cursor this server issued for this search' }],
    });
  }
  return Number(match[1]);
}
