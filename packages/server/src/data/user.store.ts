import type { Types } from 'mongoose';
import type { UserModel, UserRecord } from '../models/index.js';

/**
 * The erase-related reads and writes of `users`, each one by the user's own id (the owner of everything else). The
 * one read across users is {@link UserStore.findAbandonedErasures}, with which the sweep finishes erases.
 */
export class UserStore {
  constructor(private readonly model: UserModel) {}

  /** Begins erasing a user: sessions created from now on are taken back. An erase begun before keeps its start. */
  async markErasing(userId: Types.ObjectId): Promise<void> {
    await this.model.updateOne({ _id: userId }, { $min: { erasingSince: new Date() } }, { timestamps: false });
  }

  /** Whether the user is gone or being erased. */
  async isErasing(userId: Types.ObjectId): Promise<boolean> {
    return (await this.model.exists({ _id: userId, erasingSince: null })) === null;
  }

  /** Deletes the user itself (its tokens, sessions and messages are the other stores'). */
  async delete(userId: Types.ObjectId): Promise<void> {
    await this.model.deleteOne({ _id: userId });
  }

  /** Users whose erase began before `before` and is not done (the process erasing them went away). */
  async findAbandonedErasures(before: Date, limit: number): Promise<Types.ObjectId[]> {
    const users = await this.model
      .find({ erasingSince: { $type: 'date', $lt: before } })
      .sort({ erasingSince: 1 })
      .limit(limit)
      .select({ _id: 1 })
      .lean<Array<Pick<UserRecord, '_id'>>>();
    return users.map((user) => user._id);
  }
}
