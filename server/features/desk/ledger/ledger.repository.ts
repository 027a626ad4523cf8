import { isDuplicateKey } from '../../../data/duplicate-key';
import { dateFromEpoch, keysetAfter, keysetSort, objectIdOf, withKeyset } from '../../../data/keyset';
import { Types, type Connection } from 'mongoose';
import type { LedgerEntry } from '../../../../shared/domain/desk/ledger';
import type { PageCursor } from '../../../../shared/domain/paging';
import { ledgerModel } from './ledger.model';

export interface LedgerFilter {
  start: Date;
  end: Date;
  farmId?: string;
  brokerId?: string;
  programme?: string;
  atRisk?: boolean;
  includeVoid?: boolean;
}

type Lean = Record<string, unknown> & { _id: Types.ObjectId };

function toEntry(doc: Lean): LedgerEntry {
  const farm = doc.farm as LedgerEntry['farm'];
  const broker = doc.broker as LedgerEntry['broker'];
  const buyer = doc.buyer as LedgerEntry['buyer'];
  return {
    id: String(doc._id),
    orderId: doc.orderId as string,
    broker: { userId: broker.userId, name: broker.name },
    farm: {
      orgId: farm.orgId,
      name: farm.name,
      ...(farm.township ? { township: farm.township } : {}),
      ...(farm.village ? { village: farm.village } : {}),
    },
    buyer: { orgId: buyer.orgId, name: buyer.name },
    productCode: doc.productCode as string,
    valueFen: doc.valueFen as number,
    quantityGrams: doc.quantityGrams as number,
    programme: doc.programme as string,
    atRisk: Boolean(doc.atRisk),
    createdAt: doc.createdAt as Date,
    ...(doc.voidedAt ? { voidedAt: doc.voidedAt as Date, voidReason: doc.voidReason as string } : {}),
  };
}

function toQuery(filter: LedgerFilter): Record<string, unknown> {
  const query: Record<string, unknown> = { createdAt: { $gte: filter.start, $lt: filter.end } };
  if (filter.farmId) query['farm.orgId'] = String(filter.farmId);
  if (filter.brokerId) query['broker.userId'] = String(filter.brokerId);
  if (filter.programme) query.programme = String(filter.programme);
  if (filter.atRisk !== undefined) query.atRisk = filter.atRisk;
  if (!filter.includeVoid) query.voidedAt = { $exists: false };
  return query;
}

export type LedgerRepository = ReturnType<typeof createLedgerRepository>;

export function createLedgerRepository(connection: Connection) {
  const Ledger = ledgerModel(connection);
  return {
    async ensureIndexes(): Promise<void> {
      await Ledger.init();
    },

    newId: () => new Types.ObjectId().toHexString(),

    /** Inserts the entry, or returns the one already recorded for its order (unique index). */
    async insertOnce(entry: LedgerEntry): Promise<{ created: boolean; entry: LedgerEntry }> {
      const { id, ...rest } = entry;
      try {
        const doc = await Ledger.create({ _id: new Types.ObjectId(id), ...rest });
        return { created: true, entry: toEntry(doc.toObject() as unknown as Lean) };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const existing = await Ledger.findOne({ orderId: entry.orderId })
          .setOptions({ sanitizeFilter: true })
          .lean<Lean>();
        if (!existing) throw err;
        return { created: false, entry: toEntry(existing) };
      }
    },

    async findByOrderId(orderId: string): Promise<LedgerEntry | null> {
      const doc = await Ledger.findOne({ orderId }).setOptions({ sanitizeFilter: true }).lean<Lean>();
      return doc ? toEntry(doc) : null;
    },

    /** Marks void only if not void yet (compare-and-set), returns the entry after. */
    async markVoid(orderId: string, voidedAt: Date, voidReason: string): Promise<LedgerEntry | null> {
      const doc = await Ledger.findOneAndUpdate(
        { orderId: String(orderId), voidedAt: { $exists: false } },
        { $set: { voidedAt, voidReason } },
        { returnDocument: 'after' },
      ).lean<Lean>();
      return doc ? toEntry(doc) : null;
    },

    /** Entries created in [start, end), oldest first, at most `limit`. */
    async list(filter: LedgerFilter, limit: number): Promise<LedgerEntry[]> {
      const docs = await Ledger.find(toQuery(filter)).sort({ createdAt: 1, _id: 1 }).limit(limit).lean<Lean[]>();
      return docs.map(toEntry);
    },

    /** A page of entries created in [start, end): newest first (creation time, then id), `limit` after `after`. */
    async page(filter: LedgerFilter, limit: number, after: PageCursor | undefined): Promise<LedgerEntry[]> {
      const beyond = keysetAfter('createdAt', -1, after, dateFromEpoch, objectIdOf);
      const docs = await Ledger.find(withKeyset(toQuery(filter), beyond))
        .sort(keysetSort('createdAt', -1))
        .limit(limit)
        .lean<Lean[]>();
      return docs.map(toEntry);
    },
  };
}
