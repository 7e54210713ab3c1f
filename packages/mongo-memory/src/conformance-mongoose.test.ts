import { Schema, Types, type Connection, type Model } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceUri, openMongoose, supportsTransactions } from './testing/conformance-clients.js';

interface User {
  name: string;
  email?: string;
  visits: number;
  tags: string[];
  createdAt?: Date;
  updatedAt?: Date;
}

interface Post {
  authorId: Types.ObjectId;
  title: string;
  likes: number;
}

describe('conformance: mongoose models', () => {
  let opened: Awaited<ReturnType<typeof openMongoose>>;
  let connection: Connection;
  let Users: Model<User>;
  let Posts: Model<Post>;

  beforeAll(async () => {
    opened = await openMongoose('mongoose');
    connection = opened.connection;
    const userSchema = new Schema<User>(
      { name: { type: String, required: true }, email: { type: String }, visits: { type: Number, default: 0 }, tags: [String] },
      { timestamps: true },
    );
    userSchema.index({ email: 1 }, { unique: true, partialFilterExpression: { email: { $exists: true } } });
    Users = connection.model<User>('User', userSchema);
    Posts = connection.model<Post>('Post', new Schema<Post>({ authorId: Schema.Types.ObjectId, title: String, likes: Number }));
    await Users.init();
    await Posts.init();
  });
  afterAll(() => opened.close());

  it('creates documents with timestamps and reads them back with BSON types intact', async () => {
    const created = await Users.create({ name: 'Ada', email: 'ada@example.com' });
    const found = await Users.findById(created._id).lean();
    expect(found?._id).toBeInstanceOf(Types.ObjectId);
    expect(found?.createdAt).toBeInstanceOf(Date);
    expect(found).toMatchObject({ name: 'Ada', email: 'ada@example.com', visits: 0, tags: [] });
  });

  it('raises mongoose\'s duplicate key error, and allows documents the partial index excludes', async () => {
    await Users.create({ name: 'Bob', email: 'bob@example.com' });
    await expect(Users.create({ name: 'Bobby', email: 'bob@example.com' })).rejects.toMatchObject({
      code: 11000,
      keyValue: { email: 'bob@example.com' },
    });
    await Users.create([{ name: 'anonymous one' }, { name: 'anonymous two' }]);
    expect(await Users.countDocuments({ email: { $exists: false } })).toBe(2);
  });

  it('upserts with findOneAndUpdate and new: true, setting createdAt only on insert', async () => {
    const first = await Users.findOneAndUpdate({ email: 'cy@example.com' }, { $set: { name: 'Cy' }, $inc: { visits: 1 } }, { upsert: true, returnDocument: 'after' }).lean();
    expect(first).toMatchObject({ email: 'cy@example.com', name: 'Cy', visits: 1 });
    const second = await Users.findOneAndUpdate({ email: 'cy@example.com' }, { $inc: { visits: 1 }, $push: { tags: 'regular' } }, { upsert: true, new: true }).lean();
    expect(second).toMatchObject({ visits: 2, tags: ['regular'] });
    expect(second?.createdAt?.getTime()).toBe(first?.createdAt?.getTime());
    expect(second?._id.equals(first?._id)).toBe(true);
  });

  it('counts with countDocuments and estimatedDocumentCount', async () => {
    const total = await Users.estimatedDocumentCount();
    expect(total).toBe(await Users.countDocuments({}));
    expect(await Users.countDocuments({ name: /^anonymous/ })).toBe(2);
  });

  it('pulls, unsets and lists distinct values', async () => {
    const user = await Users.create({ name: 'Dee', tags: ['a', 'b', 'c'] });
    await Users.updateOne({ _id: user._id }, { $pull: { tags: 'b' }, $unset: { email: 1 } });
    expect(await Users.findById(user._id, { tags: 1, _id: 0 }).lean()).toEqual({ tags: ['a', 'c'] });
    expect(await Users.distinct('tags', { _id: user._id })).toEqual(['a', 'c']);
  });

  it('aggregates with $lookup over ObjectId references and leaves both collections unchanged', async () => {
    const author = await Users.create({ name: 'Eve' });
    await Posts.create([
      { authorId: author._id, title: 'one', likes: 3 },
      { authorId: author._id, title: 'two', likes: 4 },
    ]);
    const [summary] = await Posts.aggregate<{ _id: Types.ObjectId; likes: number; author: { name: string }[] }>([
      { $match: { authorId: author._id } },
      { $group: { _id: '$authorId', likes: { $sum: '$likes' } } },
      { $lookup: { from: 'users', localField: '_id', foreignField: '_id', as: 'author' } },
    ]);
    expect(summary?.likes).toBe(7);
    expect(summary?.author.map((entry) => entry.name)).toEqual(['Eve']);
    expect(await Posts.findOne({ title: 'one' }, { _id: 0, __v: 0 }).lean()).toEqual({ authorId: author._id, title: 'one', likes: 3 });
  });

  it('lists the schema\'s indexes after init, and syncIndexes drops indexes the schema lost', async () => {
    const names = (await Users.listIndexes()).map((index) => index.name);
    expect(names).toEqual(['_id_', 'email_1']);
    await Users.collection.createIndex({ name: 1 });
    const dropped = await Users.syncIndexes();
    expect(dropped).toEqual(['name_1']);
    expect((await Users.listIndexes()).map((index) => index.name)).toEqual(['_id_', 'email_1']);
  });

  it('runs bulkWrite through a model', async () => {
    const result = await Posts.bulkWrite([
      { insertOne: { document: { authorId: new Types.ObjectId(), title: 'bulk', likes: 0 } } },
      { updateMany: { filter: { title: 'bulk' }, update: { $inc: { likes: 5 } } } },
    ]);
    expect(result.insertedCount).toBe(1);
    expect((await Posts.findOne({ title: 'bulk' }).lean())?.likes).toBe(5);
  });
});

describe('conformance: transactions', () => {
  let opened: Awaited<ReturnType<typeof openMongoose>>;
  interface Account {
    owner: string;
    balance: number;
  }
  let Accounts: Model<Account>;
  let transactional = true;

  beforeAll(async () => {
    opened = await openMongoose('transactions');
    transactional = await supportsTransactions(conformanceUri('probe'));
    const schema = new Schema<Account>({ owner: { type: String, unique: true }, balance: Number });
    Accounts = opened.connection.model<Account>('Account', schema);
    await Accounts.init();
    await Accounts.create([{ owner: 'a', balance: 100 }, { owner: 'b', balance: 0 }]);
  });
  afterAll(() => opened.close());

  it('commits every write of a transaction together', async ({ skip }) => {
    if (!transactional) skip('the MongoDB under test is a standalone server without transactions');
    await opened.connection.transaction(async (session) => {
      await Accounts.updateOne({ owner: 'a' }, { $inc: { balance: -30 } }, { session });
      await Accounts.updateOne({ owner: 'b' }, { $inc: { balance: 30 } }, { session });
      await Accounts.create([{ owner: 'c', balance: 1 }], { session });
      expect(await Accounts.countDocuments({}, { session })).toBe(3);
    });
    const balances = await Accounts.find({}, { _id: 0, owner: 1, balance: 1 }).sort({ owner: 1 }).lean();
    expect(balances).toEqual([
      { owner: 'a', balance: 70 },
      { owner: 'b', balance: 30 },
      { owner: 'c', balance: 1 },
    ]);
  });

  it('discards every write of an aborted transaction, and hides them from others until commit', async ({ skip }) => {
    if (!transactional) skip('the MongoDB under test is a standalone server without transactions');
    const session = await opened.connection.startSession();
    try {
      session.startTransaction();
      await Accounts.updateOne({ owner: 'a' }, { $set: { balance: 0 } }, { session });
      await Accounts.create([{ owner: 'd', balance: 5 }], { session });
      expect((await Accounts.findOne({ owner: 'a' }, null, { session }).lean())?.balance).toBe(0);
      expect((await Accounts.findOne({ owner: 'a' }).lean())?.balance).toBe(70);
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    expect((await Accounts.findOne({ owner: 'a' }).lean())?.balance).toBe(70);
    expect(await Accounts.countDocuments({ owner: 'd' })).toBe(0);
  });

  it('rolls back a transaction whose callback throws', async ({ skip }) => {
    if (!transactional) skip('the MongoDB under test is a standalone server without transactions');
    const failing = opened.connection.transaction(async (session) => {
      await Accounts.updateOne({ owner: 'b' }, { $inc: { balance: 1_000 } }, { session });
      await Accounts.create([{ owner: 'a', balance: 1 }], { session });
    });
    await expect(failing).rejects.toMatchObject({ code: 11000 });
    expect((await Accounts.findOne({ owner: 'b' }).lean())?.balance).toBe(30);
  });
});
