import { isDuplicateKey } from '../../data/duplicate-key';
import { Types, type Connection } from 'mongoose';
import type { PageCursor } from '../../../shared/domain/paging';
import { notificationModels } from './notifications.model';

export interface StoredNotification {
  recipient: string;
  seq: number;
  type: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>;

export function createNotificationsRepository(connection: Connection) {
  const { Counter, Notification, Read } = notificationModels(connection);
  return {
    async ensureIndexes(): Promise<void> {
      await Promise.all([Counter.init(), Notification.init(), Read.init()]);
    },

    /**
     * The recipient's next seq: one atomic `$inc` upsert on its counter, so several app nodes never
     * hand out the same number and never skip one. Two first-ever upserts may race on the `_id`
     * insert; the loser retries, and then finds the document.
     */
    async nextSeq(recipient: string): Promise<number> {
      for (let attempt = 0; ; attempt += 1) {
        try {
          const doc = await Counter.findOneAndUpdate(
            { _id: recipient },
            { $inc: { seq: 1 } },
            { upsert: true, returnDocument: 'after' },
          ).lean();
          if (!doc) throw new Error(`seq upsert for ${recipient} returned nothing`);
          return doc.seq;
        } catch (err) {
          if (!isDuplicateKey(err) || attempt >= 3) throw err;
        }
      }
    },

    async latestSeq(recipient: string): Promise<number> {
      const doc = await Counter.findById(recipient).lean();
      return doc?.seq ?? 0;
    },

    async insert(notification: StoredNotification & { expiresAt: Date }): Promise<void> {
      await Notification.create(notification);
    },

    /** In seq order; leaves out what has expired but not been swept yet. */
    async listAfter(recipient: string, afterSeq: number, limit: number, now: Date): Promise<StoredNotification[]> {
      if (limit === 0) return [];
      const docs = await Notification.find({ recipient, seq: { $gt: afterSeq }, expiresAt: { $gt: now } })
        .sort({ seq: 1 })
        .limit(limit)
        .lean();
      return docs.map(({ recipient: r, seq, type, payload, createdAt }) => ({
        recipient: r,
        seq,
        type,
        payload,
        createdAt,
      }));
    },

    /**
     * The centre's page: the recipients' notifications newest first (createdAt, then id), after the
     * cursor's row; `limit` rows (the caller asks one more to know whether a next page exists).
     */
    async newestFirst(
      recipients: readonly string[],
      after: PageCursor | undefined,
      limit: number,
      now: Date,
    ): Promise<(StoredNotification & { id: string })[]> {
      const query: Record<string, unknown> = { recipient: { $in: [...recipients] }, expiresAt: { $gt: now } };
      if (after) {
        const at = new Date(Number(after.keys[0]));
        const id = new Types.ObjectId(after.id);
        query.$or = [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: id } }];
      }
      const docs = await Notification.find(query).sort({ createdAt: -1, _id: -1 }).limit(limit).lean();
      return docs.map(({ _id, recipient: r, seq, type, payload, createdAt }) => ({
        id: _id.toHexString(),
        recipient: r,
        seq,
        type,
        payload,
        createdAt,
      }));
    },

    /** How many of the recipient's live notifications are above `afterSeq`, counting no further than `cap`. */
    async countAfter(recipient: string, afterSeq: number, cap: number, now: Date): Promise<number> {
      const docs = await Notification.find({ recipient, seq: { $gt: afterSeq }, expiresAt: { $gt: now } })
        .sort({ seq: 1 })
        .limit(cap)
        .select({ _id: 1 })
        .lean();
      return docs.length;
    },

    /** The seq of the recipient's last notification stored at or before `at` (0: none). */
    async lastSeqAt(recipient: string, at: Date): Promise<number> {
      const doc = await Notification.findOne({ recipient, createdAt: { $lte: at } })
        .sort({ seq: -1 })
        .select({ seq: 1 })
        .lean();
      return doc?.seq ?? 0;
    },

    async readMarker(key: string): Promise<number> {
      const doc = await Read.findById(key).lean();
      return doc?.upToSeq ?? 0;
    },

    /** `$max`: a slower request (or another tab) can never move the marker back. */
    async markRead(key: string, upToSeq: number, now: Date): Promise<number> {
      for (let attempt = 0; ; attempt += 1) {
        try {
          const doc = await Read.findOneAndUpdate(
            { _id: key },
            { $max: { upToSeq }, $set: { updatedAt: now } },
            { upsert: true, returnDocument: 'after' },
          ).lean();
          return doc?.upToSeq ?? upToSeq;
        } catch (err) {
          if (!isDuplicateKey(err) || attempt >= 3) throw err;
        }
      }
    },
  };
}
