/**
 * The assistance ledger: recording facilitated orders (called by the market when a brokered
 * order is confirmed), and the reports the chamber reads — entries with KPIs, CSV, sell-through.
 */
import { shanghaiDate } from '../../../../shared/domain/calendar';
import { ledgerCsv } from '../../../../shared/domain/desk/csv';
import {
  ledgerKpisByPeriod,
  newLedgerEntry,
  voidLedgerEntry,
  type FacilitatedOrder,
  type LedgerEntry,
} from '../../../../shared/domain/desk/ledger';
import { instantRange } from '../../../../shared/domain/desk/periods';
import { pageOf } from '../../../../shared/domain/paging';
import { sellThrough } from '../../../../shared/domain/desk/sell-through';
import {
  resolveRange,
  type LedgerExportQuery,
  type LedgerQuery,
  type SellThroughQuery,
} from '../../../../shared/schemas/desk';
import type { Result } from '../../../outcome';
import { deskFail } from '../kernel/desk.http';
import type { Directory } from '../desk.directory';
import type { MarketPort } from '../kernel/desk.market';
import type { LedgerRepository } from './ledger.repository';

/** What the market knows when it confirms a brokered order; names and villages are looked up here. */
export interface FacilitationRefs {
  /** The chamber user who brokered the deal (the offer step with viaBroker: true). */
  brokerUserId: string;
  lotExpiresAt: Date;
  /** When the broker made or accepted the offer; defaults to now. */
  brokeredAt?: Date;
  programme?: string;
}

export interface LedgerDeps {
  ledger: LedgerRepository;
  directory: Directory;
  market: MarketPort;
  /** Told about new entries (e.g. to publish to the `chamber` room); optional. */
  onRecorded?: (entry: LedgerEntry) => void;
}

/**
 * The most entries the KPIs and the CSV export read for one range (2 years of a county's brokered deals is
 * a few thousand): past it the KPIs say `truncated` and the export stops at the oldest MAX_LEDGER_ROWS.
 */
const MAX_LEDGER_ROWS = 20_000;

export type LedgerService = ReturnType<typeof createLedgerService>;

export function createLedgerService(deps: LedgerDeps) {
  const { ledger, directory, market } = deps;

  return {
    /**
     * Hook for the market's order service: call once a brokered order is confirmed (stock reserved).
     * Idempotent per orderId: a retry returns the entry already recorded, `created: false`.
     */
    async recordFacilitatedOrder(
      order: FacilitatedOrder,
      refs: FacilitationRefs,
      now: Date,
    ): Promise<Result<{ created: boolean; entry: LedgerEntry }>> {
      const existing = await ledger.findByOrderId(order.id);
      if (existing) return { ok: true, created: false, entry: existing };
      const [farm, buyer, brokerName] = await Promise.all([
        directory.organisation(order.sellerOrgId),
        directory.organisation(order.buyerOrgId),
        directory.userName(refs.brokerUserId),
      ]);
      if (!farm || !buyer) return deskFail('NOT_FOUND', 'The order names an organisation that does not exist');
      if (brokerName === null) return deskFail('NOT_FOUND', 'No such broker', { field: 'brokerUserId' });
      const made = newLedgerEntry(
        ledger.newId(),
        order,
        {
          broker: { userId: refs.brokerUserId, name: brokerName },
          farm: {
            orgId: farm.id,
            name: farm.name,
            ...(farm.township ? { township: farm.township } : {}),
            ...(farm.village ? { village: farm.village } : {}),
          },
          buyer: { orgId: buyer.id, name: buyer.name },
          lotExpiresAt: refs.lotExpiresAt,
          ...(refs.brokeredAt ? { brokeredAt: refs.brokeredAt } : {}),
          ...(refs.programme ? { programme: refs.programme } : {}),
        },
        now,
      );
      if (!made.ok) return deskFail.refused(made);
      const saved = await ledger.insertOnce(made.entry);
      if (saved.created) deps.onRecorded?.(saved.entry);
      return { ok: true, ...saved };
    },

    /** Hook for the market: a facilitated order was cancelled. The entry stays, marked void. Unknown orders are a no-op. */
    async voidFacilitatedOrder(
      orderId: string,
      reason: string,
      now: Date,
    ): Promise<Result<{ entry: LedgerEntry | null }>> {
      const entry = await ledger.findByOrderId(orderId);
      if (!entry) return { ok: true, entry: null };
      const voided = voidLedgerEntry(entry, reason, now);
      if (!voided.ok) return deskFail.refused(voided);
      const saved = await ledger.markVoid(orderId, now, voided.entry.voidReason ?? reason);
      return saved ? { ok: true, entry: saved } : deskFail('ALREADY_VOID', 'This entry is already void');
    },

    /**
     * KPIs over the range (read whole, at most MAX_LEDGER_ROWS entries: `truncated` says the cap was hit) and
     * one page of its entries, newest first (keyset: creation time, then id).
     */
    async report(query: LedgerQuery, now: Date) {
      const { from, to } = resolveRange(query, shanghaiDate(now));
      const filter = {
        ...instantRange(from, to),
        farmId: query.farmId,
        brokerId: query.brokerId,
        programme: query.programme,
        atRisk: query.atRisk,
      };
      const [all, rows] = await Promise.all([
        ledger.list(filter, MAX_LEDGER_ROWS + 1),
        ledger.page(filter, query.limit + 1, query.cursor),
      ]);
      const counted = all.slice(0, MAX_LEDGER_ROWS);
      const { periods, total } = ledgerKpisByPeriod(counted, query.period, from, to);
      const page = pageOf(rows, query.limit, (e) => ({
        sort: 'ledger-newest',
        keys: [e.createdAt.getTime()],
        id: e.id,
      }));
      return { from, to, period: query.period, total, periods, ...page, truncated: all.length > counted.length };
    },

    async exportCsv(query: LedgerExportQuery, now: Date): Promise<{ filename: string; csv: string }> {
      const { from, to } = resolveRange(query, shanghaiDate(now));
      const entries = await ledger.list(
        {
          ...instantRange(from, to),
          farmId: query.farmId,
          brokerId: query.brokerId,
          programme: query.programme,
        },
        MAX_LEDGER_ROWS,
      );
      return { filename: `帮扶台账_${from}_${to}.csv`, csv: ledgerCsv(entries) };
    },

    async sellThrough(query: SellThroughQuery, now: Date) {
      const { from, to } = resolveRange(query, shanghaiDate(now));
      const outcomes = await market.dailyOutcomes(from, to, query.farmId);
      const series = sellThrough(
        query.farmId ? outcomes.filter((o) => o.farmId === query.farmId) : outcomes,
        query.period,
        from,
        to,
      );
      const names = await directory.organisations(series.map((s) => s.farmId));
      return {
        from,
        to,
        period: query.period,
        farms: series.map((s) => ({ ...s, farmName: names.get(s.farmId)?.name ?? null })),
      };
    },
  };
}
