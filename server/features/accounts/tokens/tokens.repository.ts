import { Types, type Connection } from 'mongoose';
import type { PageCursor } from '../../../../shared/domain/paging';
import { apiTokenModel } from './tokens.model';

export interface ApiTokenRecord {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt?: Date;
  expiresAt?: Date;
}

type Lean = Record<string, unknown> & { _id: Types.ObjectId };

function toToken(doc: Lean): ApiTokenRecord {
  return {
    id: String(doc._id),
    userId: String(doc.userId),
    name: doc.name as string,
    prefix: doc.prefix as string,
    createdAt: doc.createdAt as Date,
    ...(doc.lastUsedAt ? { lastUsedAt: doc.lastUsedAt as Date } : {}),
    ...(doc.expiresAt ? { expiresAt: doc.expiresAt as Date } : {}),
  };
}

export type TokenRepository = ReturnType<typeof createTokenRepository>;

export function createTokenRepository(connection: Connection) {
  const ApiToken = apiTokenModel(connection);
  return {
    async ensureIndexes(): Promise<void> {
      await ApiToken.init();
    },

    async create(input: {
      userId: string;
      name: string;
      hash: string;
      prefix: string;
      createdAt: Date;
      expiresAt?: Date;
    }): Promise<ApiTokenRecord> {
      const doc = await ApiToken.create(input);
      return toToken(doc.toObject() as unknown as Lean);
    },

    async findByHash(hash: string): Promise<ApiTokenRecord | null> {
      const doc = await ApiToken.findOne({ hash }).setOptions({ sanitizeFilter: true }).lean<Lean>();
      return doc ? toToken(doc) : null;
    },

    /** The person's tokens newest first (creation time, then id), `limit` after `after`: `{userId, createdAt, _id}`. */
    async listForUser(userId: string, page: { limit: number; after?: PageCursor }): Promise<ApiTokenRecord[]> {
      const query: Record<string, unknown> = { userId };
      if (page.after) {
        const at = new Date(Number(page.after.keys[0]));
        query.createdAt = { $lte: at };
        query.$or = [{ createdAt: { $lt: at } }, { _id: { $lt: new Types.ObjectId(page.after.id) } }];
      }
      const docs = await ApiToken.find(query).sort({ createdAt: -1, _id: -1 }).limit(page.limit).lean<Lean[]>();
      return docs.map(toToken);
    },

    async touch(id: string, at: Date): Promise<void> {
      await ApiToken.updateOne({ _id: id }, { $set: { lastUsedAt: at } });
    },

    async revoke(userId: string, id: string): Promise<boolean> {
      if (!Types.ObjectId.isValid(id)) return false;
      const result = await ApiToken.deleteOne({ _id: id, userId });
      return result.deletedCount === 1;
    },

    async revokeAllForUser(userId: string): Promise<void> {
      await ApiToken.deleteMany({ userId });
    },
  };
}
