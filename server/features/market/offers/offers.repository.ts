/** The only code that touches the offers collection. Saves are conditional on `version`. */
import { isDuplicateKey } from '../../../data/duplicate-key';
import { containsText, dateFromEpoch, keysetAfter, keysetSort } from '../../../data/keyset';
import type { PageCursor } from '../../../../shared/domain/paging';
import type { Connection, Model } from 'mongoose';
import type { Offer, OfferState } from '../../../../shared/domain/offers';
import type { PartyNames } from '../kernel/market.types';
import { offerModel, type OfferDoc } from './offers.model';

/** How an offer made with an Idempotency-Key is found again (offers.model.ts). */
export interface MakerKey {
  makerOrgId: string;
  makerKey: string;
  makerTerms: string;
}

export type OfferRecord = Offer &
  PartyNames &
  Partial<MakerKey> & { version: number; orderId?: string; settled?: boolean; idempotencyKey?: string };
type OfferExtras = Pick<OfferRecord, 'orderId' | 'settled' | 'idempotencyKey'>;

interface OfferFilter {
  lotId?: string;
  /** Offers where this organisation is buyer or seller. */
  orgId?: string;
  state?: OfferState;
  /** Sell offers answering one of these demands (the demand sweep's fill repair). */
  demandIds?: readonly string[];
  /** Only offers with a step a broker took (history[].viaBroker), newest made first. */
  brokered?: boolean;
  /** Paged lists: by creation time (it never changes), newest or oldest first, after this cursor. */
  created?: { order: 'newest' | 'oldest'; after?: PageCursor };
  /** Offers whose seller's or buyer's name (as stored on the offer) contains this text. */
  partyName?: string;
  limit: number;
}

export interface OffersRepository {
  insert(offer: Offer & PartyNames): Promise<OfferRecord>;
  /**
   * Inserts an offer made with a key, unless that organisation already made one with that key: then
   * (also when a concurrent insert won the unique index) the existing offer, with `inserted: false`.
   */
  insertKeyed(offer: Offer & PartyNames & MakerKey): Promise<{ inserted: boolean; offer: OfferRecord }>;
  findByMakerKey(makerOrgId: string, makerKey: string): Promise<OfferRecord | null>;
  findById(id: string): Promise<OfferRecord | null>;
  list(filter: OfferFilter): Promise<OfferRecord[]>;
  /** Writes `offer` if nobody saved since `expectedVersion`; null when someone did. */
  save(offer: Offer, expectedVersion: number, extras?: Partial<OfferExtras>): Promise<OfferRecord | null>;
  /** Only while the offer is still accepted for that order's attempt. */
  markSettled(id: string, orderId: string): Promise<void>;
  findUnsettled(updatedBefore: Date, limit: number): Promise<OfferRecord[]>;
  findLapsed(now: Date, limit: number): Promise<OfferRecord[]>;
}

const toRecord = ({ _id, ...rest }: OfferDoc): OfferRecord => ({ id: _id, ...rest });

/** Optional domain fields a transition may remove (undoing an accept drops acceptedGrams). */
const DOMAIN_OPTIONAL = ['acceptedGrams', 'closedReason', 'demandId'] as const;

export function createOffersRepository(connection: Connection): OffersRepository {
  const Offers: Model<OfferDoc> = offerModel(connection);
  return {
    async insert(offer) {
      const { id, ...rest } = offer;
      const created = await Offers.create({ _id: id, ...rest, version: 1 });
      return toRecord(created.toObject());
    },

    async insertKeyed(offer) {
      const { id, ...rest } = offer;
      try {
        const created = await Offers.create({ _id: id, ...rest, version: 1 });
        return { inserted: true, offer: toRecord(created.toObject()) };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const winner = await Offers.findOne({
          makerOrgId: offer.makerOrgId,
          makerKey: offer.makerKey,
        }).lean<OfferDoc>();
        if (!winner) throw err;
        return { inserted: false, offer: toRecord(winner) };
      }
    },

    async findByMakerKey(makerOrgId, makerKey) {
      const doc = await Offers.findOne({ makerOrgId, makerKey }).lean<OfferDoc>();
      return doc ? toRecord(doc) : null;
    },

    async findById(id) {
      const doc = await Offers.findById(id).lean<OfferDoc>();
      return doc ? toRecord(doc) : null;
    },

    async list(filter) {
      const query: Record<string, unknown> = {};
      if (filter.lotId) query.lotId = filter.lotId;
      if (filter.state) query.state = filter.state;
      if (filter.demandIds) query.demandId = { $in: filter.demandIds };
      if (filter.orgId) query.$or = [{ buyerOrgId: filter.orgId }, { sellerOrgId: filter.orgId }];
      if (filter.brokered) query['history.viaBroker'] = true;
      const and: Record<string, unknown>[] = [];
      if (filter.partyName)
        and.push({
          $or: [{ sellerName: containsText(filter.partyName) }, { buyerName: containsText(filter.partyName) }],
        });
      if (filter.created) {
        const direction = filter.created.order === 'newest' ? -1 : 1;
        const after = keysetAfter('createdAt', direction, filter.created.after, dateFromEpoch);
        if (Object.keys(after).length > 0) and.push(after);
        if (and.length > 0) query.$and = and;
        const docs = await Offers.find(query)
          .sort(keysetSort('createdAt', direction))
          .limit(filter.limit)
          .lean<OfferDoc[]>();
        return docs.map(toRecord);
      }
      if (and.length > 0) query.$and = and;
      const docs = await Offers.find(query)
        .sort(filter.brokered ? { createdAt: -1, _id: 1 } : { updatedAt: -1, _id: 1 })
        .limit(filter.limit)
        .lean<OfferDoc[]>();
      return docs.map(toRecord);
    },

    async save(offer, expectedVersion, extras = {}) {
      // `offer` may be a whole record: its version is the filter, not a field to write
      const { id, version: _version, ...fields } = offer as OfferRecord;
      const $set: Record<string, unknown> = {};
      const $unset: Record<string, 1> = {};
      for (const [k, v] of Object.entries(fields)) if (v !== undefined && !(k in extras)) $set[k] = v;
      for (const k of DOMAIN_OPTIONAL) if (fields[k] === undefined) $unset[k] = 1;
      // extras: a key given as undefined is removed; a key not given keeps its stored value
      for (const [k, v] of Object.entries(extras)) {
        if (v === undefined) $unset[k] = 1;
        else $set[k] = v;
      }
      const update: Record<string, unknown> = { $set, $inc: { version: 1 } };
      if (Object.keys($unset).length > 0) update.$unset = $unset;
      const doc = await Offers.findOneAndUpdate({ _id: id, version: expectedVersion }, update, {
        returnDocument: 'after',
      }).lean<OfferDoc>();
      return doc ? toRecord(doc) : null;
    },

    async markSettled(id, orderId) {
      await Offers.updateOne({ _id: id, state: 'accepted', orderId }, { $set: { settled: true } });
    },

    async findUnsettled(updatedBefore, limit) {
      const docs = await Offers.find({ state: 'accepted', settled: false, updatedAt: { $lte: updatedBefore } })
        .limit(limit)
        .lean<OfferDoc[]>();
      return docs.map(toRecord);
    },

    async findLapsed(now, limit) {
      const docs = await Offers.find({ state: { $in: ['open', 'countered'] }, validUntil: { $lte: now } })
        .limit(limit)
        .lean<OfferDoc[]>();
      return docs.map(toRecord);
    },
  };
}
