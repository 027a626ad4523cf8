/**
 * The only code that touches the lots collection. Every stock change is ONE conditional
 * update on the lot document, so it is atomic without transactions and safe with several
 * app nodes: the filter states what must still be true, and a miss means "someone else
 * got there first" — the caller re-reads and decides.
 */
import type { Connection, Model } from 'mongoose';
import { isDuplicateKey } from '../../../data/duplicate-key';
import { lotModel, type LotDoc } from './lots.model';

export type LotRecord = Omit<LotDoc, '_id'> & { id: string };
export type NewLotRecord = Omit<LotRecord, 'reservations' | 'fencedOrderIds' | 'createdAt' | 'updatedAt'>;

export interface LotFilter {
  productCode?: string;
  region?: string;
  status?: LotDoc['status'];
  sellerOrgId?: string;
  expiresAfter?: Date;
  expiresBefore?: Date;
  limit: number;
}

const toRecord = ({ _id, ...rest }: LotDoc): LotRecord => ({ id: _id, ...rest });

export type FenceResult = 'fenced' | 'reserved' | 'missing';

export interface LotsRepository {
  insert(lot: NewLotRecord): Promise<LotRecord>;
  /**
   * Inserts a lot posted with an Idempotency-Key, unless this farm already posted one with that key: then
   * (also when a concurrent insert won the unique index) the existing lot, with `inserted: false`.
   */
  insertKeyed(lot: NewLotRecord & { idempotencyKey: string }): Promise<{ inserted: boolean; lot: LotRecord }>;
  findByKey(sellerOrgId: string, idempotencyKey: string): Promise<LotRecord | null>;
  findById(id: string): Promise<LotRecord | null>;
  list(filter: LotFilter): Promise<LotRecord[]>;
  withdraw(id: string, now: Date): Promise<LotRecord | null>;
  setClock(id: string, clock: NonNullable<LotDoc['clock']>, now: Date): Promise<LotRecord | null>;
  reserve(lotId: string, orderId: string, grams: number, now: Date): Promise<LotRecord | null>;
  hasReservation(lotId: string, orderId: string): Promise<boolean>;
  fence(lotId: string, orderId: string): Promise<FenceResult>;
  release(lotId: string, orderId: string, now: Date): Promise<LotRecord | null>;
  expireDue(now: Date, batch: number): Promise<LotRecord[]>;
  /** Ids of open lots with 0 g remaining (normally marked sold out at once; a crash can leave them open). */
  findOpenEmpty(limit: number): Promise<string[]>;
  /** open with 0 g → sold_out; null when the lot is no longer open and empty. */
  markSoldOut(id: string): Promise<LotRecord | null>;
}

export function createLotsRepository(connection: Connection): LotsRepository {
  const Lots: Model<LotDoc> = lotModel(connection);

  async function markSoldOutIfEmpty(lot: LotRecord): Promise<LotRecord> {
    if (lot.remainingGrams !== 0 || lot.status !== 'open') return lot;
    const updated = await Lots.findOneAndUpdate(
      { _id: lot.id, status: 'open', remainingGrams: 0 },
      { $set: { status: 'sold_out' } },
      { returnDocument: 'after' },
    ).lean<LotDoc>();
    return updated ? toRecord(updated) : lot;
  }

  const findByKey = async (sellerOrgId: string, idempotencyKey: string) => {
    const doc = await Lots.findOne({ sellerOrgId, idempotencyKey }).lean<LotDoc>();
    return doc ? toRecord(doc) : null;
  };

  return {
    findByKey,
    async insertKeyed(lot) {
      const existing = await findByKey(lot.sellerOrgId, lot.idempotencyKey);
      if (existing) return { inserted: false, lot: existing };
      try {
        const { id, ...rest } = lot;
        const created = await Lots.create({ _id: id, ...rest, reservations: [], fencedOrderIds: [] });
        return { inserted: true, lot: toRecord(created.toObject()) };
      } catch (err) {
        const winner = isDuplicateKey(err) ? await findByKey(lot.sellerOrgId, lot.idempotencyKey) : null;
        if (!winner) throw err;
        return { inserted: false, lot: winner };
      }
    },
    async insert(lot) {
      const { id, ...rest } = lot;
      const created = await Lots.create({ _id: id, ...rest, reservations: [], fencedOrderIds: [] });
      return toRecord(created.toObject());
    },

    async findById(id) {
      const doc = await Lots.findById(id).lean<LotDoc>();
      return doc ? toRecord(doc) : null;
    },

    async list(filter) {
      const query: Record<string, unknown> = {};
      if (filter.productCode) query.productCode = filter.productCode;
      if (filter.region) query.region = filter.region;
      if (filter.status) query.status = filter.status;
      if (filter.sellerOrgId) query.sellerOrgId = filter.sellerOrgId;
      if (filter.expiresAfter || filter.expiresBefore) {
        query.expiresAt = {
          ...(filter.expiresAfter ? { $gt: filter.expiresAfter } : {}),
          ...(filter.expiresBefore ? { $lte: filter.expiresBefore } : {}),
        };
      }
      const docs = await Lots.find(query).sort({ expiresAt: 1, _id: 1 }).limit(filter.limit).lean<LotDoc[]>();
      return docs.map(toRecord);
    },

    async withdraw(id, now) {
      const doc = await Lots.findOneAndUpdate(
        { _id: id, status: 'open' },
        { $set: { status: 'withdrawn', withdrawnAt: now } },
        { returnDocument: 'after' },
      ).lean<LotDoc>();
      return doc ? toRecord(doc) : null;
    },

    async setClock(id, clock, now) {
      const doc = await Lots.findOneAndUpdate(
        { _id: id, status: 'open', expiresAt: { $gt: now } },
        { $set: { clock } },
        { returnDocument: 'after' },
      ).lean<LotDoc>();
      return doc ? toRecord(doc) : null;
    },

    /**
     * Takes `grams` for `orderId`, or changes nothing. The filter is the whole rule:
     * still open, not past expiry, enough left, this order not already holding stock here
     * (so a retry cannot take twice) and not fenced off by the recovery sweep.
     */
    async reserve(lotId, orderId, grams, now) {
      const doc = await Lots.findOneAndUpdate(
        {
          _id: lotId,
          status: 'open',
          expiresAt: { $gt: now },
          remainingGrams: { $gte: grams },
          'reservations.orderId': { $ne: orderId },
          fencedOrderIds: { $ne: orderId },
        },
        { $inc: { remainingGrams: -grams }, $push: { reservations: { orderId, grams, at: now } } },
        { returnDocument: 'after' },
      ).lean<LotDoc>();
      return doc ? markSoldOutIfEmpty(toRecord(doc)) : null;
    },

    async hasReservation(lotId, orderId) {
      return (await Lots.exists({ _id: lotId, 'reservations.orderId': orderId })) !== null;
    },

    /** Forbids `orderId` from ever reserving — unless it already has. */
    async fence(lotId, orderId) {
      const r = await Lots.updateOne(
        { _id: lotId, 'reservations.orderId': { $ne: orderId } },
        { $addToSet: { fencedOrderIds: orderId } },
      );
      if (r.matchedCount === 1) return 'fenced';
      return (await Lots.exists({ _id: lotId })) ? 'reserved' : 'missing';
    },

    /**
     * Gives an order's stock back, once (the filter requires the reservation). Stock freed
     * after the lot expired is spoiled, not sellable; a sold-out lot reopens if still fresh.
     */
    async release(lotId, orderId, now) {
      const before = await Lots.findOne(
        { _id: lotId, 'reservations.orderId': orderId },
        { reservations: 1 },
      ).lean<LotDoc>();
      const grams = before?.reservations.find((r) => r.orderId === orderId)?.grams;
      if (grams === undefined) return null;
      const doc = await Lots.findOneAndUpdate(
        { _id: lotId, 'reservations.orderId': orderId },
        { $pull: { reservations: { orderId } }, $inc: { remainingGrams: grams } },
        { returnDocument: 'after' },
      ).lean<LotDoc>();
      if (!doc) return null;
      if (doc.status === 'expired') {
        await Lots.updateOne({ _id: lotId }, { $inc: { spoiledGrams: grams } });
      } else if (doc.status === 'sold_out') {
        await Lots.updateOne(
          { _id: lotId, status: 'sold_out', remainingGrams: { $gt: 0 }, expiresAt: { $gt: now } },
          { $set: { status: 'open' } },
        );
      }
      return this.findById(lotId);
    },

    /**
     * Expires open lots whose time has come, recording what was left as spoiled. The update
     * is conditional on the remaining stock we read, so a take that lands in between makes
     * us re-read instead of recording the wrong figure; several nodes may run this at once.
     */
    async findOpenEmpty(limit) {
      const docs = await Lots.find({ status: 'open', remainingGrams: 0 }, { _id: 1 })
        .limit(limit)
        .lean<{ _id: string }[]>();
      return docs.map((d) => d._id);
    },

    async markSoldOut(id) {
      const updated = await Lots.findOneAndUpdate(
        { _id: id, status: 'open', remainingGrams: 0 },
        { $set: { status: 'sold_out' } },
        { returnDocument: 'after' },
      ).lean<LotDoc>();
      return updated ? toRecord(updated) : null;
    },

    async expireDue(now, batch) {
      const due = await Lots.find({ status: 'open', expiresAt: { $lte: now } }, { _id: 1 })
        .limit(batch)
        .lean<{ _id: string }[]>();
      const expired: LotRecord[] = [];
      for (const { _id } of due) {
        for (let attempt = 0; attempt < 5; attempt++) {
          const current = await Lots.findOne({ _id, status: 'open' }, { remainingGrams: 1 }).lean<{
            remainingGrams: number;
          }>();
          if (!current) break;
          const doc = await Lots.findOneAndUpdate(
            { _id, status: 'open', remainingGrams: current.remainingGrams },
            { $set: { status: 'expired', spoiledGrams: current.remainingGrams, expiredAt: now } },
            { returnDocument: 'after' },
          ).lean<LotDoc>();
          if (doc) {
            expired.push(toRecord(doc));
            break;
          }
        }
      }
      return expired;
    },
  };
}
