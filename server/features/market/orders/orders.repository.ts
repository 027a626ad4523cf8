/** The only code that touches the orders collection. */
import { isDuplicateKey } from '../../../data/duplicate-key';
import type { Connection, Model } from 'mongoose';
import type { Order, OrderStatus, TimelineEntry } from '../../../../shared/domain/orders';
import type { PartyNames } from '../kernel/market.types';
import type { PageCursor } from '../../../../shared/domain/paging';
import type { OrderSort } from '../../../../shared/schemas/market';
import { orderModel, orderNumberCounterModel, type OrderDoc } from './orders.model';

export type OrderRecord = Order &
  PartyNames & {
    key: string;
    version: number;
    confirmedAt?: Date;
    failedReason?: string;
    idempotencyKey?: string;
    /** The Idempotency-Key the receipt (deliver) was confirmed with: a replay answers the order, nothing twice. */
    receiptKey?: string;
  };
export type NewOrderRecord = Order & PartyNames & { key: string; idempotencyKey?: string };

interface OrderFilter {
  /** Orders where this organisation is buyer or seller; absent: the whole market. */
  orgId?: string;
  status?: OrderStatus;
  lotId?: string;
  /** Only these orders (the sweep, checking the orders counted on demand). */
  ids?: readonly string[];
  /** Product codes, or party names containing `text` (the list's search box). */
  search?: { productCodes: readonly string[]; text: string };
  /** Keyset paging (shared/domain/paging.ts); newest when absent. */
  sort?: OrderSort;
  after?: PageCursor;
  limit: number;
}

/** Which field and direction each order sort reads; the id breaks ties in the same direction. */
const ORDER_SORT_KEYS: Record<OrderSort, { field: 'createdAt' | 'priceFenPerKg'; direction: 1 | -1 }> = {
  newest: { field: 'createdAt', direction: -1 },
  oldest: { field: 'createdAt', direction: 1 },
  price: { field: 'priceFenPerKg', direction: -1 },
};

/** The immutable key an order is paged by (createdAt as epoch ms). */
export function orderSortKey(sort: OrderSort, order: OrderRecord): number {
  return ORDER_SORT_KEYS[sort].field === 'createdAt' ? order.createdAt.getTime() : order.priceFenPerKg;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface OrdersRepository {
  /** Inserts a pending order; if its id exists already, returns the existing order instead. */
  insertPending(
    order: NewOrderRecord,
  ): Promise<{ inserted: true; order: OrderRecord } | { inserted: false; order: OrderRecord }>;
  findById(id: string): Promise<OrderRecord | null>;
  list(filter: OrderFilter): Promise<OrderRecord[]>;
  /**
   * pending → confirmed; only call when the lot holds this order's reservation. Returns the order as it is now.
   * `details` (number, delivery, slot, brokered mark, the timeline's step) are written by the same update.
   */
  confirm(id: string, now: Date, details?: ConfirmDetails): Promise<OrderRecord | null>;
  /** Inserts a standing order's proposed order; if its id exists already (another generator), returns that one. */
  insertProposed(order: NewOrderRecord): Promise<{ inserted: boolean; order: OrderRecord }>;
  /** proposed → pending with the farm's lot and quantity, only if still proposed at `version`. */
  claimProposal(
    id: string,
    version: number,
    patch: Pick<Order, 'lotId' | 'quantityGrams' | 'totalFen' | 'updatedAt'>,
  ): Promise<OrderRecord | null>;
  /** pending → proposed again (the lot could not supply it): the farm may name another lot. */
  revertToProposed(id: string, now: Date, ifUpdatedAt?: Date): Promise<boolean>;
  /** The next number of this Shanghai day (YYYYMMDD): one atomic $inc on the day's counter. */
  nextNumberSeq(day: string): Promise<number>;
  /** pending → failed, for good (only after the lot was fenced for it); with `ifUpdatedAt`, only if nobody touched it since. */
  markFailed(id: string, reason: string, now: Date, ifUpdatedAt?: Date): Promise<boolean>;
  findStalePending(updatedBefore: Date, limit: number): Promise<OrderRecord[]>;
  /** Whether some order on the lot is still pending (its grams may yet come back). */
  hasPendingForLot(lotId: string): Promise<boolean>;
  findDeliveredBefore(deliveredBefore: Date, limit: number): Promise<OrderRecord[]>;
  save(order: Order, expectedVersion: number): Promise<OrderRecord | null>;
}

export interface ConfirmDetails {
  number?: string;
  delivery?: Order['delivery'];
  slot?: Order['slot'];
  brokered?: boolean;
  step?: TimelineEntry;
}

const toRecord = ({ _id, ...rest }: OrderDoc): OrderRecord => ({ id: _id, ...rest });

export function createOrdersRepository(connection: Connection): OrdersRepository {
  const Orders: Model<OrderDoc> = orderModel(connection);
  const Counters = orderNumberCounterModel(connection);
  const byId = async (id: string) => {
    const doc = await Orders.findById(id).lean<OrderDoc>();
    return doc ? toRecord(doc) : null;
  };
  return {
    async insertPending(order) {
      const { id, ...rest } = order;
      try {
        const created = await Orders.create({ _id: id, ...rest, status: 'pending', version: 1 });
        return { inserted: true, order: toRecord(created.toObject()) };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const existing = await byId(id);
        if (!existing) throw err;
        return { inserted: false, order: existing };
      }
    },

    findById: byId,

    async list(filter) {
      const query: Record<string, unknown> = { status: { $nin: ['pending', 'failed'] } };
      if (filter.status) query.status = filter.status;
      if (filter.lotId) query.lotId = filter.lotId;
      if (filter.ids) query._id = { $in: filter.ids };
      const and: Record<string, unknown>[] = [];
      if (filter.orgId) and.push({ $or: [{ buyerOrgId: filter.orgId }, { sellerOrgId: filter.orgId }] });
      if (filter.search) {
        const names = new RegExp(escapeRegex(filter.search.text), 'i');
        and.push({
          $or: [{ productCode: { $in: filter.search.productCodes } }, { sellerName: names }, { buyerName: names }],
        });
      }
      const { field, direction } = ORDER_SORT_KEYS[filter.sort ?? 'newest'];
      if (filter.after) {
        const value = field === 'createdAt' ? new Date(Number(filter.after.keys[0])) : Number(filter.after.keys[0]);
        const beyond = direction === 1 ? '$gt' : '$lt';
        and.push({ $or: [{ [field]: { [beyond]: value } }, { [field]: value, _id: { [beyond]: filter.after.id } }] });
      }
      if (and.length > 0) query.$and = and;
      const docs = await Orders.find(query)
        .sort({ [field]: direction, _id: direction })
        .limit(filter.limit)
        .lean<OrderDoc[]>();
      return docs.map(toRecord);
    },

    async confirm(id, now, details = {}) {
      const { step, ...fields } = details;
      const $set: Record<string, unknown> = { status: 'confirmed', confirmedAt: now, updatedAt: now };
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) $set[k] = v;
      await Orders.updateOne(
        { _id: id, status: 'pending' },
        { $set, $inc: { version: 1 }, ...(step ? { $push: { timeline: step } } : {}) },
      );
      return byId(id);
    },

    async insertProposed(order) {
      const { id, ...rest } = order;
      try {
        const created = await Orders.create({ _id: id, ...rest, status: 'proposed', version: 1 });
        return { inserted: true, order: toRecord(created.toObject()) };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const existing = await byId(id);
        if (!existing) throw err;
        return { inserted: false, order: existing };
      }
    },

    async claimProposal(id, version, patch) {
      const doc = await Orders.findOneAndUpdate(
        { _id: id, status: 'proposed', version },
        { $set: { ...patch, status: 'pending' }, $inc: { version: 1 } },
        { returnDocument: 'after' },
      ).lean<OrderDoc>();
      return doc ? toRecord(doc) : null;
    },

    async revertToProposed(id, now, ifUpdatedAt) {
      const filter: Record<string, unknown> = { _id: id, status: 'pending', source: 'standing_order' };
      if (ifUpdatedAt) filter.updatedAt = ifUpdatedAt;
      const r = await Orders.updateOne(filter, {
        $set: { status: 'proposed', lotId: '', updatedAt: now },
        $inc: { version: 1 },
      });
      return r.modifiedCount === 1;
    },

    async nextNumberSeq(day) {
      // Two first numbers of a day may both try to create the counter: the loser's upsert hits the
      // unique _id and simply increments the one that now exists.
      for (let attempt = 0; ; attempt++) {
        try {
          const doc = await Counters.findOneAndUpdate(
            { _id: day },
            { $inc: { seq: 1 } },
            { upsert: true, returnDocument: 'after' },
          ).lean<{ seq: number }>();
          if (!doc) throw new Error(`order number counter ${day} missing after upsert`);
          return doc.seq;
        } catch (err) {
          if (!isDuplicateKey(err) || attempt >= 3) throw err;
        }
      }
    },

    async markFailed(id, reason, now, ifUpdatedAt) {
      const filter: Record<string, unknown> = { _id: id, status: 'pending' };
      if (ifUpdatedAt) filter.updatedAt = ifUpdatedAt;
      const r = await Orders.updateOne(filter, {
        $set: { status: 'failed', failedReason: reason, updatedAt: now },
        $inc: { version: 1 },
      });
      return r.modifiedCount === 1;
    },

    async hasPendingForLot(lotId) {
      return (await Orders.exists({ lotId, status: 'pending' })) !== null;
    },

    async findStalePending(updatedBefore, limit) {
      const docs = await Orders.find({ status: 'pending', updatedAt: { $lte: updatedBefore } })
        .limit(limit)
        .lean<OrderDoc[]>();
      return docs.map(toRecord);
    },

    async findDeliveredBefore(deliveredBefore, limit) {
      const docs = await Orders.find({ status: 'delivered', deliveredAt: { $lte: deliveredBefore } })
        .limit(limit)
        .lean<OrderDoc[]>();
      return docs.map(toRecord);
    },

    async save(order, expectedVersion) {
      const { id, version: _version, ...fields } = order as OrderRecord;
      const $set: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) $set[k] = v;
      const doc = await Orders.findOneAndUpdate(
        { _id: id, version: expectedVersion },
        { $set, $inc: { version: 1 } },
        { returnDocument: 'after' },
      ).lean<OrderDoc>();
      return doc ? toRecord(doc) : null;
    },
  };
}
