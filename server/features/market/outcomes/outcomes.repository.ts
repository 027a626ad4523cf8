/**
 * Read-only lookups of keyed actions for `POST /api/outcomes`: each by an index that starts with the
 * organisation (or the key), so one request costs four indexed queries whatever the market's size.
 */
import type { Connection } from 'mongoose';
import { lotModel, type LotDoc } from '../lots/lots.model';
import type { LotRecord } from '../lots/lots.repository';
import { offerModel, type OfferDoc } from '../offers/offers.model';
import type { OfferRecord } from '../offers/offers.repository';
import { orderModel, type OrderDoc } from '../orders/orders.model';
import type { OrderRecord } from '../orders/orders.repository';

export interface OutcomesRepository {
  /** Lots this farm posted with one of the keys. */
  lotsByKey(orgId: string, keys: readonly string[]): Promise<LotRecord[]>;
  /** Bids and sell offers this organisation made with one of the keys. */
  offersMadeByKey(orgId: string, keys: readonly string[]): Promise<OfferRecord[]>;
  /** Offers accepted with one of the keys, where this organisation is a party. */
  offersAcceptedByKey(orgId: string, keys: readonly string[]): Promise<OfferRecord[]>;
  /** Clock-take orders this organisation made with one of the keys (every attempt). */
  takesByKey(orgId: string, keys: readonly string[]): Promise<OrderRecord[]>;
  ordersById(ids: readonly string[]): Promise<OrderRecord[]>;
}

const withId = <T extends { _id: string }>({ _id, ...rest }: T) => ({ id: _id, ...rest });

export function createOutcomesRepository(connection: Connection): OutcomesRepository {
  const Lots = lotModel(connection);
  const Offers = offerModel(connection);
  const Orders = orderModel(connection);
  const limit = 200;
  return {
    async lotsByKey(orgId, keys) {
      const docs = await Lots.find({ sellerOrgId: orgId, idempotencyKey: { $in: keys } })
        .limit(limit)
        .lean<LotDoc[]>();
      return docs.map(withId);
    },
    async offersMadeByKey(orgId, keys) {
      const docs = await Offers.find({ makerOrgId: orgId, makerKey: { $in: keys } })
        .limit(limit)
        .lean<OfferDoc[]>();
      return docs.map(withId);
    },
    async offersAcceptedByKey(orgId, keys) {
      const docs = await Offers.find({
        idempotencyKey: { $in: keys },
        $or: [{ sellerOrgId: orgId }, { buyerOrgId: orgId }],
      })
        .limit(limit)
        .lean<OfferDoc[]>();
      return docs.map(withId);
    },
    async takesByKey(orgId, keys) {
      const docs = await Orders.find({ buyerOrgId: orgId, idempotencyKey: { $in: keys } })
        .limit(limit)
        .lean<OrderDoc[]>();
      return docs.map(withId);
    },
    async ordersById(ids) {
      if (ids.length === 0) return [];
      const docs = await Orders.find({ _id: { $in: ids } }).lean<OrderDoc[]>();
      return docs.map(withId);
    },
  };
}
