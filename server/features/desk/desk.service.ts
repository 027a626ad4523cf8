/**
 * The brokering desk: the at-risk board, and proposals of brokered offers computed with the
 * matching engine over open lots and demand. Proposals are not sent: the broker reviews,
 * edits and sends each one through the market's offer machine (sendProposal).
 */
import { shanghaiDate } from '../../../shared/domain/calendar';
import { atRiskLots, surplusFarms, unansweredDemand, type AtRiskLot } from '../../../shared/domain/desk/at-risk';
import { findProduct } from '../../../shared/domain/catalogue';
import { pageOf } from '../../../shared/domain/paging';
import {
  DEFAULT_MATCH_PARAMS,
  proposeOffers,
  type DeskDemand,
  type ProposalPlan,
} from '../../../shared/domain/desk/proposals';
import type { Person } from '../../../shared/domain/desk/ledger';
import type { AtRiskQuery, BrokeredOffersQuery, MatchParamsBody, SendProposalBody } from '../../../shared/schemas/desk';
import type { Result } from '../../outcome';
import { deskFail } from './kernel/desk.http';
import type { Directory } from './desk.directory';
import type { MarketDemand, MarketLot, MarketPort } from './kernel/desk.market';

export interface DeskDeps {
  market: MarketPort;
  directory: Directory;
}

export type DeskService = ReturnType<typeof createDeskService>;

export function createDeskService({ market, directory }: DeskDeps) {
  const names = async (ids: readonly string[]) => {
    const orgs = await directory.organisations(ids);
    return (id: string) => orgs.get(id)?.name ?? null;
  };

  /**
   * Lots are picked up at their farm and demand delivered to its buyer when the market gives no
   * place of its own; with neither, proposals.ts falls back to the district centre.
   */
  async function locate(
    lots: MarketLot[],
    demands: MarketDemand[],
  ): Promise<{ lots: MarketLot[]; demands: DeskDemand[] }> {
    const orgs = await directory.organisations([
      ...lots.map((l) => l.sellerOrgId),
      ...demands.map((d) => d.buyerOrgId),
    ]);
    // Verification is part of the shared feasibility rule: a proposal the market would refuse is never made.
    const verified = (id: string, kind?: string) => {
      const org = orgs.get(id);
      return org?.verification === 'verified' && (kind === undefined || org.kind === kind);
    };
    return {
      lots: lots.map((l) => {
        const pickup = l.pickup ?? orgs.get(l.sellerOrgId)?.location;
        return { ...l, ...(pickup ? { pickup } : {}), sellerVerified: verified(l.sellerOrgId, 'farm') };
      }),
      demands: demands.map((d) => {
        const location = d.location ?? orgs.get(d.buyerOrgId)?.location;
        return { ...d, ...(location ? { location } : {}), buyerVerified: verified(d.buyerOrgId) };
      }),
    };
  }

  async function propose(
    lots: MarketLot[],
    body: MatchParamsBody,
    now: Date,
  ): Promise<Result<{ plan: ProposalPlan; lots: MarketLot[] }>> {
    const { productCode, ...overrides } = body;
    const chosen = productCode ? lots.filter((l) => l.productCode === productCode) : lots;
    const [demand, capacities] = await Promise.all([market.openDemand(), market.capacities()]);
    const open = demand.filter((d) => d.status === 'open' && d.neededBy.getTime() > now.getTime());
    const located = await locate(
      chosen.filter((l) => l.status === 'open'),
      open,
    );
    const result = proposeOffers(
      located.lots,
      located.demands,
      capacities.map((c) => ({ orgId: c.orgId, dispatchGramsPerDay: c.dispatchGramsPerDay })),
      now,
      { ...DEFAULT_MATCH_PARAMS, ...overrides },
    );
    return result.ok ? { ok: true, plan: result.plan, lots: chosen } : deskFail(result.reason, result.message);
  }

  /** Lots at risk whose product (zh/en) or farm name contains `q`, in keyset order (expiry, then lot id). */
  async function searchAtRisk(board: AtRiskLot[], q: string | undefined): Promise<AtRiskLot[]> {
    const ordered = [...board].sort(
      (a, b) => a.expiresAt.getTime() - b.expiresAt.getTime() || (a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0),
    );
    if (!q) return ordered;
    const wanted = q.toLowerCase();
    const nameOf = await names([...new Set(ordered.map((l) => l.sellerOrgId))]);
    return ordered.filter((l) => {
      const product = findProduct(l.productCode);
      return [product?.nameZh, product?.nameEn, l.productCode, nameOf(l.sellerOrgId)].some((text) =>
        text?.toLowerCase().includes(wanted),
      );
    });
  }

  /** The parties' names, and the lot each proposal is cut from (so the broker knows which batch it is). */
  async function withNames({ plan, lots }: { plan: ProposalPlan; lots: MarketLot[] }) {
    const nameOf = await names(plan.proposals.flatMap((p) => [p.sellerOrgId, p.buyerOrgId]));
    const lotOf = new Map(lots.map((l) => [l.id, l]));
    return {
      ...plan,
      proposals: plan.proposals.map((p) => {
        const lot = lotOf.get(p.lotId);
        return {
          ...p,
          sellerName: nameOf(p.sellerOrgId),
          buyerName: nameOf(p.buyerOrgId),
          ...(lot ? { lot: { remainingGrams: lot.remainingGrams, expiresAt: lot.expiresAt } } : {}),
        };
      }),
    };
  }

  return {
    async atRisk(query: AtRiskQuery, now: Date) {
      const today = shanghaiDate(now);
      const [lots, demand, outlooks] = await Promise.all([
        market.openLots(),
        market.openDemand(),
        market.outlooks(today, query.outlookDays),
      ]);
      const found = await searchAtRisk(atRiskLots(lots, now, query.windowHours), query.q);
      const after = query.cursor;
      // The board is computed from the open market; its page is the rows after the cursor in expiry order.
      const rest = after
        ? found.filter((l) => {
            const at = l.expiresAt.getTime();
            return at > Number(after.keys[0]) || (at === Number(after.keys[0]) && l.lotId > after.id);
          })
        : found;
      const page = pageOf(rest, query.limit, (l) => ({ sort: 'at-risk', keys: [l.expiresAt.getTime()], id: l.lotId }));
      const board = page.items;
      const surplus = surplusFarms(outlooks);
      const offers = await market.offersOnDemand(demand.map((d) => d.id));
      const waiting = unansweredDemand(demand, offers, now);
      const nameOf = await names([
        ...board.map((l) => l.sellerOrgId),
        ...surplus.map((f) => f.orgId),
        ...waiting.map((d) => d.buyerOrgId),
      ]);
      return {
        generatedAt: now,
        items: board.map((l) => ({ ...l, sellerName: nameOf(l.sellerOrgId) })),
        nextCursor: page.nextCursor,
        surplusFarms: surplus.map((f) => ({ ...f, name: nameOf(f.orgId) })),
        unansweredDemand: waiting.map((d) => ({ ...d, buyerName: nameOf(d.buyerOrgId) })),
      };
    },

    /** Buyers for one lot: the best allocation of this lot alone over all open demand. */
    async findBuyers(lotId: string, body: MatchParamsBody, now: Date) {
      const lot = await market.lot(lotId);
      if (!lot) return deskFail('NOT_FOUND', 'No such lot');
      if (lot.status !== 'open' || lot.expiresAt.getTime() <= now.getTime())
        return deskFail(
          'LOT_NOT_OPEN',
          `The lot is ${lot.status === 'open' ? 'expired' : lot.status.replace('_', ' ')}`,
        );
      const result = await propose([lot], body, now);
      return result.ok ? { ok: true as const, lotId, ...(await withNames(result)) } : result;
    },

    /** The best allocation over every open lot and demand. */
    async matchAll(body: MatchParamsBody, now: Date) {
      const result = await propose(await market.openLots(), body, now);
      return result.ok ? { ok: true as const, ...(await withNames(result)) } : result;
    },

    /** Sends a reviewed proposal as a brokered offer, when the market offers that (else 501 SEND_NOT_AVAILABLE). */
    /** The deal log: brokered offers, newest first, with the parties' names. */
    async brokeredOffers(query: BrokeredOffersQuery) {
      const sort = `deals-${query.sort}`;
      const found = await market.brokeredOffers({
        limit: query.limit + 1,
        order: query.sort,
        ...(query.cursor ? { after: query.cursor } : {}),
        ...(query.q ? { partyName: query.q } : {}),
      });
      const nameOf = await names([...new Set(found.flatMap((o) => [o.sellerOrgId, o.buyerOrgId]))]);
      return pageOf(
        found,
        query.limit,
        (o) => ({ sort, keys: [Date.parse(o.sentAt)], id: o.offerId }),
        (o) => ({ ...o, sellerName: nameOf(o.sellerOrgId), buyerName: nameOf(o.buyerOrgId) }),
      );
    },

    async sendProposal(body: SendProposalBody, broker: Person, now: Date): Promise<Result<{ offerId: string }>> {
      if (!market.sendBrokeredOffer) return deskFail('SEND_NOT_AVAILABLE', 'This market cannot take brokered offers');
      // As with On-Behalf-Of over HTTP: a broker acts only for a verified farm.
      const lot = await market.lot(body.lotId);
      if (!lot) return deskFail('NOT_FOUND', 'No such lot', { field: 'lotId' });
      const farm = await directory.organisation(lot.sellerOrgId);
      if (!farm || farm.kind !== 'farm' || farm.verification !== 'verified')
        return deskFail('FARM_NOT_VERIFIED', 'The lot’s farm is not a verified farm', { field: 'lotId' });
      const sent = await market.sendBrokeredOffer({ ...body, broker }, now);
      if (!sent.ok) {
        // The market's failure, told as the desk's: its message and fields, and its code as `marketReason`.
        const { code, message, fields } = sent.error;
        return deskFail('MARKET_REFUSED', message, { fields, details: { marketReason: code } });
      }
      return { ok: true, offerId: sent.offerId };
    },
  };
}
