/**
 * The only code that touches the lots collection. Every stock change is ONE conditional
 * update on the lot document, so it is atomic without transactions and safe with several
 * app nodes: the filter states what must still be true, and a miss means "someone else
 * got there first" — the caller re-reads and decides. Every write also bumps `version` in that same update,
 * so any two views of a lot can be ordered (a client ignores an event older than what it holds).
 */
import type { Connection, Model } from 'mongoose';
import type { PageCursor } from '../../../../shared/domain/paging';
import type { LotSort } from '../../../../shared/schemas/market';
import { isDuplicateKey } from '../../../data/duplicate-key';
import { lotModel, type LotDoc, type LotPhotoDoc } from './lots.model';

export type LotRecord = Omit<LotDoc, '_id'> & { id: string };
type NewLotRecord = Omit<LotRecord, 'reservations' | 'fencedOrderIds' | 'createdAt' | 'updatedAt' | 'version'>;

interface LotFilter {
  productCode?: string;
  region?: string;
  status?: LotDoc['status'];
  sellerOrgId?: string;
  expiresAfter?: Date;
  expiresBefore?: Date;
  /** `$text` search (the lots_text index). */
  text?: string;
  /** expiry → expiresAt, price → askPriceFenPerKg, distance → metres from `near` (lots without a pickup point are left out). */
  sort?: LotSort;
  near?: { lat: number; lng: number };
  /** Keyset paging: only rows after this one in the sort order (shared/domain/paging.ts). */
  after?: PageCursor;
  limit: number;
}

/**
 * A listed lot; `distanceMeters` when listed by distance; `walkPriceFenPerKg` on later pages by price: its
 * ask when the walk began, which orders the walk.
 */
export type ListedLot = LotRecord & { distanceMeters?: number; walkPriceFenPerKg?: number };

/** `$text` cannot run inside `$geoNear`, so a search sorted by distance first collects this many matching ids. */
const TEXT_HITS_FOR_DISTANCE = 1_000;

const toRecord = ({ _id, ...rest }: LotDoc): LotRecord => ({ id: _id, ...rest, version: rest.version ?? 0 });

/** Old asks kept per lot: a lot repriced more often than this during one price-sorted walk may be misplaced. */
const ASK_PRICE_HISTORY = 20;
/** Lots repriced since a price-sorted walk began that one page looks at (they are few: farms reprice by hand). */
const REPRICED_SCAN = 500;

/**
 * A lot's ask as it was at `at`: the first old ask recorded after `at`, else the ask now. A price-sorted
 * walk orders every page by the asks as they were when its first page was read, so a lot repriced between
 * two pages stays where the walk put it: never shown twice, never skipped.
 */
function askPriceAt(lot: Pick<LotDoc, 'askPriceFenPerKg' | 'askPriceHistory'>, at: Date): number {
  const later = (lot.askPriceHistory ?? []).find((h) => h.until.getTime() > at.getTime());
  return later ? later.fenPerKg : lot.askPriceFenPerKg;
}

type FenceResult = 'fenced' | 'reserved' | 'missing';

export interface LotsRepository {
  insert(lot: NewLotRecord): Promise<LotRecord>;
  /**
   * Inserts a lot posted with an Idempotency-Key, unless this farm already posted one with that key: then
   * (also when a concurrent insert won the unique index) the existing lot, with `inserted: false`.
   */
  insertKeyed(lot: NewLotRecord & { idempotencyKey: string }): Promise<{ inserted: boolean; lot: LotRecord }>;
  findByKey(sellerOrgId: string, idempotencyKey: string): Promise<LotRecord | null>;
  findById(id: string): Promise<LotRecord | null>;
  list(filter: LotFilter): Promise<ListedLot[]>;
  /** Lots missing `productNames` or `pickupPoint` (posted before them), by id after `afterId` (lots.backfill.ts). */
  withoutSearchFields(afterId: string | undefined, limit: number): Promise<LotRecord[]>;
  /** Sets each given field only where it is still missing; says which were written. */
  fillSearchFields(
    id: string,
    fields: Pick<LotDoc, 'productNames' | 'pickupPoint'>,
  ): Promise<{ productNames: boolean; pickupPoint: boolean }>;
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
  /**
   * The farm's edit, written only if the lot is still open, unexpired and its stock is still what the
   * edit was checked against (`read`): a take landing in between makes this miss (null), never oversell.
   */
  edit(id: string, read: StockRead, set: LotEditSet, now: Date): Promise<LotRecord | null>;
  /** Ends an open lot's clock sale; null when the lot is not open or has no clock. */
  stopClock(id: string): Promise<LotRecord | null>;
  /** Adds a photo unless the lot already has `max`; null when it has (or is gone). */
  addPhoto(id: string, photo: LotPhotoDoc, max: number): Promise<LotRecord | null>;
  markPhotoThumb(id: string, photoId: string): Promise<LotRecord | null>;
  removePhoto(id: string, photoId: string): Promise<LotRecord | null>;
  /** Forgets the photos of these lots (their files are deleted by the photo store). */
  forgetPhotos(ids: string[]): Promise<void>;
}

interface StockRead {
  quantityGrams: number;
  remainingGrams: number;
  askPriceFenPerKg: number;
}
interface LotEditSet {
  askPriceFenPerKg: number;
  reservePriceFenPerKg: number;
  quantityGrams: number;
  remainingGrams: number;
  minTakeGrams?: number;
}

export function createLotsRepository(connection: Connection): LotsRepository {
  const Lots: Model<LotDoc> = lotModel(connection);

  /**
   * A later page of a price-sorted walk that began at `after.keys[1]`: lots whose ask has not changed since
   * are read in index order after the cursor; the few repriced since are placed by their ask at the walk's
   * start (askPriceAt). Together they are exactly the rows after the cursor in the walk's own order.
   */
  async function priceWalkPage(query: Record<string, unknown>, after: PageCursor, limit: number): Promise<ListedLot[]> {
    const [price, startedMs] = after.keys.map(Number) as [number, number];
    const startedAt = new Date(startedMs);
    const isAfter = (p: number, id: string) => p > price || (p === price && id > after.id);
    const [unchanged, repriced] = await Promise.all([
      Lots.find({
        ...query,
        $and: [
          { $or: [{ askPriceEditedAt: null }, { askPriceEditedAt: { $lte: startedAt } }] },
          { $or: [{ askPriceFenPerKg: { $gt: price } }, { askPriceFenPerKg: price, _id: { $gt: after.id } }] },
        ],
      })
        .sort({ askPriceFenPerKg: 1, _id: 1 })
        .limit(limit)
        .lean<LotDoc[]>(),
      Lots.find({ ...query, askPriceEditedAt: { $gt: startedAt } })
        .limit(REPRICED_SCAN)
        .lean<LotDoc[]>(),
    ]);
    return [...unchanged, ...repriced]
      .map((doc) => ({ ...toRecord(doc), walkPriceFenPerKg: askPriceAt(doc, startedAt) }))
      .filter((lot) => isAfter(lot.walkPriceFenPerKg, lot.id))
      .sort((a, b) => a.walkPriceFenPerKg - b.walkPriceFenPerKg || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, limit);
  }

  async function markSoldOutIfEmpty(lot: LotRecord): Promise<LotRecord> {
    if (lot.remainingGrams !== 0 || lot.status !== 'open') return lot;
    const updated = await Lots.findOneAndUpdate(
      { _id: lot.id, status: 'open', remainingGrams: 0 },
      { $set: { status: 'sold_out' }, $inc: { version: 1 } },
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
      const and: Record<string, unknown>[] = [];
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
      const after = filter.after;
      if (filter.sort === 'distance' && filter.near) {
        if (filter.text) {
          const hits = await Lots.find({ ...query, $text: { $search: filter.text } }, { _id: 1 })
            .limit(TEXT_HITS_FOR_DISTANCE)
            .lean<{ _id: string }[]>();
          query._id = { $in: hits.map((h) => h._id) };
        }
        const from = after ? Number(after.keys[0]) : undefined;
        const docs = await Lots.aggregate<LotDoc & { distanceMeters: number }>([
          {
            $geoNear: {
              near: { type: 'Point', coordinates: [filter.near.lng, filter.near.lat] },
              key: 'pickupPoint',
              distanceField: 'distanceMeters',
              spherical: true,
              query,
              ...(from !== undefined ? { minDistance: from } : {}),
            },
          },
          ...(after
            ? [
                {
                  $match: {
                    $or: [{ distanceMeters: { $gt: from } }, { distanceMeters: from, _id: { $gt: after.id } }],
                  },
                },
              ]
            : []),
          { $sort: { distanceMeters: 1, _id: 1 } },
          { $limit: filter.limit },
        ]);
        return docs.map(toRecord);
      }
      if (filter.text) query.$text = { $search: filter.text };
      if (filter.sort === 'price' && after) return priceWalkPage(query, after, filter.limit);
      const key = filter.sort === 'price' ? 'askPriceFenPerKg' : 'expiresAt';
      if (after) {
        const value = key === 'expiresAt' ? new Date(Number(after.keys[0])) : Number(after.keys[0]);
        and.push({ $or: [{ [key]: { $gt: value } }, { [key]: value, _id: { $gt: after.id } }] });
      }
      if (and.length > 0) query.$and = and;
      const docs = await Lots.find(query)
        .sort({ [key]: 1, _id: 1 })
        .limit(filter.limit)
        .lean<LotDoc[]>();
      return docs.map(toRecord);
    },

    async withoutSearchFields(afterId, limit) {
      const docs = await Lots.find({
        $or: [{ productNames: { $exists: false } }, { pickupPoint: { $exists: false } }],
        ...(afterId !== undefined ? { _id: { $gt: afterId } } : {}),
      })
        .sort({ _id: 1 })
        .limit(limit)
        .lean<LotDoc[]>();
      return docs.map(toRecord);
    },

    async fillSearchFields(id, fields) {
      const fill = async (field: 'productNames' | 'pickupPoint') => {
        if (fields[field] === undefined) return false;
        const done = await Lots.updateOne(
          { _id: id, [field]: { $exists: false } },
          { $set: { [field]: fields[field] } },
          { timestamps: false },
        );
        return done.modifiedCount === 1;
      };
      return { productNames: await fill('productNames'), pickupPoint: await fill('pickupPoint') };
    },

    async withdraw(id, now) {
      const doc = await Lots.findOneAndUpdate(
        { _id: id, status: 'open' },
        { $set: { status: 'withdrawn', withdrawnAt: now }, $inc: { version: 1 } },
        { returnDocument: 'after' },
      ).lean<LotDoc>();
      return doc ? toRecord(doc) : null;
    },

    async setClock(id, clock, now) {
      const doc = await Lots.findOneAndUpdate(
        { _id: id, status: 'open', expiresAt: { $gt: now } },
        { $set: { clock }, $inc: { version: 1 } },
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
        { $inc: { remainingGrams: -grams, version: 1 }, $push: { reservations: { orderId, grams, at: now } } },
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
        { $addToSet: { fencedOrderIds: orderId }, $inc: { version: 1 } },
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
        { $pull: { reservations: { orderId } }, $inc: { remainingGrams: grams, version: 1 } },
        { returnDocument: 'after' },
      ).lean<LotDoc>();
      if (!doc) return null;
      if (doc.status === 'expired') {
        await Lots.updateOne({ _id: lotId }, { $inc: { spoiledGrams: grams, version: 1 } });
      } else if (doc.status === 'sold_out') {
        await Lots.updateOne(
          { _id: lotId, status: 'sold_out', remainingGrams: { $gt: 0 }, expiresAt: { $gt: now } },
          { $set: { status: 'open' }, $inc: { version: 1 } },
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
        { $set: { status: 'sold_out' }, $inc: { version: 1 } },
        { returnDocument: 'after' },
      ).lean<LotDoc>();
      return updated ? toRecord(updated) : null;
    },

    async edit(id, read, set, now) {
      // A new ask is written on the ask it replaces (a concurrent edit makes the caller read again), and the
      // old one goes to the history a price-sorted walk reads (see list).
      const repriced = set.askPriceFenPerKg !== read.askPriceFenPerKg;
      const doc = await Lots.findOneAndUpdate(
        {
          _id: id,
          status: 'open',
          expiresAt: { $gt: now },
          quantityGrams: read.quantityGrams,
          remainingGrams: read.remainingGrams,
          ...(repriced ? { askPriceFenPerKg: read.askPriceFenPerKg } : {}),
        },
        repriced
          ? {
              $set: { ...set, askPriceEditedAt: now },
              $inc: { version: 1 },
              $push: {
                askPriceHistory: {
                  $each: [{ until: now, fenPerKg: read.askPriceFenPerKg }],
                  $slice: -ASK_PRICE_HISTORY,
                },
              },
            }
          : { $set: set, $inc: { version: 1 } },
        { returnDocument: 'after' },
      ).lean<LotDoc>();
      return doc ? markSoldOutIfEmpty(toRecord(doc)) : null;
    },

    async stopClock(id) {
      const doc = await Lots.findOneAndUpdate(
        { _id: id, status: 'open', clock: { $exists: true } },
        { $unset: { clock: '' }, $inc: { version: 1 } },
        { returnDocument: 'after' },
      ).lean<LotDoc>();
      return doc ? toRecord(doc) : null;
    },

    async addPhoto(id, photo, max) {
      const doc = await Lots.findOneAndUpdate(
        { _id: id, [`photos.${max - 1}`]: { $exists: false } },
        { $push: { photos: photo }, $inc: { version: 1 } },
        { returnDocument: 'after' },
      ).lean<LotDoc>();
      return doc ? toRecord(doc) : null;
    },

    async markPhotoThumb(id, photoId) {
      const doc = await Lots.findOneAndUpdate(
        { _id: id, 'photos.id': photoId },
        { $set: { 'photos.$.thumb': true }, $inc: { version: 1 } },
        { returnDocument: 'after' },
      ).lean<LotDoc>();
      return doc ? toRecord(doc) : null;
    },

    async removePhoto(id, photoId) {
      const doc = await Lots.findOneAndUpdate(
        { _id: id, 'photos.id': photoId },
        { $pull: { photos: { id: photoId } }, $inc: { version: 1 } },
        { returnDocument: 'after' },
      ).lean<LotDoc>();
      return doc ? toRecord(doc) : null;
    },

    async forgetPhotos(ids) {
      if (ids.length > 0)
        await Lots.updateMany({ _id: { $in: ids } }, { $unset: { photos: '' }, $inc: { version: 1 } });
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
            { $set: { status: 'expired', spoiledGrams: current.remainingGrams, expiredAt: now }, $inc: { version: 1 } },
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
