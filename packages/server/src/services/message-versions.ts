import type { Message, Versions } from '@ai-chat/protocol';
import type { Types } from 'mongoose';
import type { MessageStore, VersionEntry } from '../data/message.store.js';
import { toMessage, type MessageRecord } from '../models/index.js';

/** Where a message stands among the versions of its turn, or `undefined` when it has no other version. */
export function versionsOf(record: Pick<MessageRecord, '_id' | 'versionGroup'>, entries: VersionEntry[]): Versions | undefined {
  if (!record.versionGroup) return undefined;
  const group = record.versionGroup;
  const ids = entries.filter((entry) => entry.versionGroup?.equals(group)).map((entry) => entry._id.toHexString());
  const index = ids.indexOf(record._id.toHexString());
  return ids.length > 1 && index >= 0 ? { index: index + 1, count: ids.length, ids } : undefined;
}

/** Reads the versions of the turns of these messages (one query, none when no message was ever versioned). */
export async function readVersions(store: MessageStore, owner: Types.ObjectId, sessionId: Types.ObjectId, records: MessageRecord[]): Promise<VersionEntry[]> {
  const groups = new Map<string, Types.ObjectId>();
  for (const record of records) if (record.versionGroup) groups.set(record.versionGroup.toHexString(), record.versionGroup);
  return groups.size === 0 ? [] : store.findVersions(owner, sessionId, [...groups.values()]);
}

/** Messages in the contract's shape, each with its place among its versions. */
export async function toMessagesWithVersions(store: MessageStore, owner: Types.ObjectId, sessionId: Types.ObjectId, records: MessageRecord[]): Promise<Message[]> {
  const entries = await readVersions(store, owner, sessionId, records);
  return records.map((record) => toMessage(record, versionsOf(record, entries)));
}
