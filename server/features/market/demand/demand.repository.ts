/** The only code that touches the demands and standingorders collections. */
import type { Connection } from 'mongoose';
import type { PageCursor } from '../../../../shared/domain/paging';
import type { StandingOrderStatus } from '../../../../shared/domain/standing-orders';
import {
  demandModel,
  standingOrderModel,
  type DemandDoc,
  type StandingOrderDoc,
  type StandingOrderStep,
} from './demand.model';

export type DemandRecord = Omit<DemandDoc, '_id'> & { id: string };
export type StandingOrderRecord = Omit<StandingOrderDoc, '_id'> & { id: string };

/** The orders demand is read in: soonest needed first (what farms browse), or newest posted first (a buyer's own). */
export type DemandSort = 'needed' | 'newest';
const DEMAND_SORT_KEYS: Record<DemandSort, { field: 'neededBy' | 'createdAt'; direction: 1 | -1 }> = {
  needed: { field: 'neededBy', direction: 1 },
  newest: { field: 'createdAt', direction: -1 },
};

/**
 * Keyset paging (shared/domain/paging.ts) on a date field that never changes once the row exists, the id
 * breaking ties in the same direction: the rows strictly after the cursor's row.
 */
function afterCursor(field: string, direction: 1 | -1, cursor: PageCursor): Record<string, unknown> {
  const value = new Date(Number(cursor.keys[0]));
  const beyond = direction === 1 ? '$gt' : '$lt';
  return {
    [field]: { [direction === 1 ? '$gte' : '$lte']: value },
    $or: [{ [field]: { [beyond]: value } }, { _id: { [beyond]: cursor.id } }],
  };
}

/** A page's rows for one equality filter: sorted by the key and id, the index's order, `limit` of them. */
const keysetSort = (field: string, direction: 1 | -1) => ({ [field]: direction, _id: direction }) as const;

const toRecord = <T extends { _id: string }>({ _id, ...rest }: T): Omit<T, '_id'> & { id: string } => ({
  id: _id,
  ...rest,
});

export function createDemandRepository(connection: Connection) {
  const Demands = demandModel(connection);
  const StandingOrders = standingOrderModel(connection);
  return {
    async insertDemand(demand: DemandRecord): Promise<DemandRecord> {
      const { id, ...rest } = demand;
      return toRecord((await Demands.create({ _id: id, ...rest })).toObject());
    },
    async findDemand(id: string): Promise<DemandRecord | null> {
      const doc = await Demands.findById(id).lean<DemandDoc>();
      return doc ? toRecord(doc) : null;
    },
    /**
     * Demand in `sort` order (default soonest needed), `limit` rows after `after` (keyset pages). Served by
     * `{status, neededBy, _id}`, `{status, productCode, neededBy, _id}` or `{buyerOrgId, createdAt, _id}`.
     */
    async listDemand(filter: {
      productCode?: string;
      status?: DemandDoc['status'] | readonly DemandDoc['status'][];
      buyerOrgId?: string;
      neededAfter?: Date;
      sort?: DemandSort;
      after?: PageCursor;
      limit: number;
    }): Promise<DemandRecord[]> {
      const { field, direction } = DEMAND_SORT_KEYS[filter.sort ?? 'needed'];
      const and: Record<string, unknown>[] = [];
      const query: Record<string, unknown> = {};
      if (filter.productCode) query.productCode = filter.productCode;
      if (typeof filter.status === 'string') query.status = filter.status;
      else if (filter.status) query.status = { $in: filter.status };
      if (filter.buyerOrgId) query.buyerOrgId = filter.buyerOrgId;
      if (filter.neededAfter) and.push({ neededBy: { $gt: filter.neededAfter } });
      if (filter.after) and.push(afterCursor(field, direction, filter.after));
      if (and.length === 1) Object.assign(query, and[0]);
      else if (and.length > 1) query.$and = and;
      const docs = await Demands.find(query).sort(keysetSort(field, direction)).limit(filter.limit).lean<DemandDoc[]>();
      return docs.map(toRecord);
    },
    /** Demand of any status needed after `neededAfter` that has counted orders or is filled (the sweep's un-fill). */
    async listWithFills(neededAfter: Date, limit: number): Promise<DemandRecord[]> {
      const docs = await Demands.find({
        neededBy: { $gt: neededAfter },
        $or: [{ filledGrams: { $gt: 0 } }, { status: 'filled' }],
      })
        .sort({ neededBy: 1, _id: 1 })
        .limit(limit)
        .lean<DemandDoc[]>();
      return docs.map(toRecord);
    },
    /**
     * Counts one confirmed order towards the demand, once: the order id joins the set in the same
     * conditional update that adds its grams, so a repeat (a retried hook, the sweep) matches nothing.
     * Null when the order was already counted (or the demand is gone).
     */
    async addFill(id: string, orderId: string, grams: number, now: Date): Promise<DemandRecord | null> {
      const doc = await Demands.findOneAndUpdate(
        { _id: id, orderIds: { $ne: orderId } },
        { $inc: { filledGrams: grams }, $addToSet: { orderIds: orderId }, $set: { updatedAt: now } },
        { returnDocument: 'after' },
      ).lean<DemandDoc>();
      return doc ? toRecord(doc) : null;
    },
    /**
     * Gives a cancelled order's grams back, once: the order id leaves the set in the same conditional
     * update that subtracts its grams, so a repeat matches nothing. Null when it was not counted (or is gone).
     */
    async removeFill(id: string, orderId: string, grams: number, now: Date): Promise<DemandRecord | null> {
      const doc = await Demands.findOneAndUpdate(
        { _id: id, orderIds: orderId },
        { $inc: { filledGrams: -grams }, $pull: { orderIds: orderId }, $set: { updatedAt: now } },
        { returnDocument: 'after' },
      ).lean<DemandDoc>();
      return doc ? toRecord(doc) : null;
    },
    /**
     * open or expired → filled once the counted grams reach the quantity (which never changes); null when
     * it is not both. An expired demand whose late orders supply it is filled, not expired.
     */
    async markFilled(id: string, quantityGrams: number, now: Date): Promise<DemandRecord | null> {
      const doc = await Demands.findOneAndUpdate(
        { _id: id, status: { $in: ['open', 'expired'] }, filledGrams: { $gte: quantityGrams } },
        { $set: { status: 'filled', updatedAt: now } },
        { returnDocument: 'after' },
      ).lean<DemandDoc>();
      return doc ? toRecord(doc) : null;
    },
    /** filled → open when a cancelled order left it short and it is still ahead; null when not all three. */
    async reopen(id: string, quantityGrams: number, now: Date): Promise<DemandRecord | null> {
      const doc = await Demands.findOneAndUpdate(
        { _id: id, status: 'filled', filledGrams: { $lt: quantityGrams }, neededBy: { $gt: now } },
        { $set: { status: 'open', updatedAt: now } },
        { returnDocument: 'after' },
      ).lean<DemandDoc>();
      return doc ? toRecord(doc) : null;
    },
    /** open → expired for every demand whose neededBy has passed (each document conditionally); how many. */
    async expireDue(now: Date): Promise<number> {
      const r = await Demands.updateMany(
        { status: 'open', neededBy: { $lte: now } },
        { $set: { status: 'expired', updatedAt: now } },
      );
      return r.modifiedCount;
    },
    async withdrawDemand(id: string, now: Date): Promise<DemandRecord | null> {
      const doc = await Demands.findOneAndUpdate(
        { _id: id, status: 'open' },
        { $set: { status: 'withdrawn', updatedAt: now } },
        { returnDocument: 'after' },
      ).lean<DemandDoc>();
      return doc ? toRecord(doc) : null;
    },

    async insertStandingOrder(order: StandingOrderRecord): Promise<StandingOrderRecord> {
      const { id, ...rest } = order;
      return toRecord((await StandingOrders.create({ _id: id, ...rest, version: 1 })).toObject());
    },
    async findStandingOrder(id: string): Promise<StandingOrderRecord | null> {
      const doc = await StandingOrders.findById(id).lean<StandingOrderDoc>();
      return doc ? toRecord(doc) : null;
    },
    /**
     * Standing orders newest placed first (creation time, then id), `limit` rows after `after`: every
     * organisation's (chamber staff, the sweep), or those `orgId` is party to (all, or of the given statuses).
     * A party's are read as buyer and as seller from their own indexes (`{buyerOrgId, createdAt, _id}`,
     * `{sellerOrgId, createdAt, _id}`) and merged, so neither read sorts more than the page in memory.
     */
    async listAllStandingOrders(filter: {
      orgId?: string;
      statuses?: readonly StandingOrderStatus[];
      after?: PageCursor;
      limit: number;
    }): Promise<StandingOrderRecord[]> {
      const read = async (party: Record<string, unknown>) => {
        const query: Record<string, unknown> = { ...party };
        if (filter.statuses) query.status = { $in: filter.statuses };
        if (filter.after) Object.assign(query, afterCursor('createdAt', -1, filter.after));
        return StandingOrders.find(query)
          .sort(keysetSort('createdAt', -1))
          .limit(filter.limit)
          .lean<StandingOrderDoc[]>();
      };
      if (!filter.orgId) return (await read({})).map(toRecord);
      const [asBuyer, asSeller] = await Promise.all([
        read({ buyerOrgId: filter.orgId }),
        read({ sellerOrgId: filter.orgId }),
      ]);
      const merged = new Map([...asBuyer, ...asSeller].map((doc) => [doc._id, doc]));
      return [...merged.values()]
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a._id < b._id ? 1 : a._id > b._id ? -1 : 0))
        .slice(0, filter.limit)
        .map(toRecord);
    },
    /** Active standing orders naming the farm as seller: its commitments. */
    async listActiveForSeller(sellerOrgId: string): Promise<StandingOrderRecord[]> {
      const docs = await StandingOrders.find({ sellerOrgId, status: 'active' })
        .sort({ createdAt: 1, _id: 1 })
        .lean<StandingOrderDoc[]>();
      return docs.map(toRecord);
    },
    /**
     * Moves a standing order from `from` to `step.status` in one conditional update, recording the step;
     * null when it is no longer `from` (someone else's step landed first).
     */
    async transitionStandingOrder(
      id: string,
      from: StandingOrderStatus,
      step: StandingOrderStep,
      extra: Partial<Pick<StandingOrderDoc, 'declineReason' | 'cancelledBy' | 'cancelReason'>>,
    ): Promise<StandingOrderRecord | null> {
      const doc = await StandingOrders.findOneAndUpdate(
        { _id: id, status: from },
        { $set: { status: step.status, updatedAt: step.at, ...extra }, $push: { steps: step }, $inc: { version: 1 } },
        { returnDocument: 'after' },
      ).lean<StandingOrderDoc>();
      return doc ? toRecord(doc) : null;
    },
  };
}

export type DemandRepository = ReturnType<typeof createDemandRepository>;
