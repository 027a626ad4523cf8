/**
 * The brokering desk: the at-risk board, and proposals of brokered offers computed with the
 * matching engine over open lots and demand. Proposals are not sent: the broker reviews,
 * edits and sends each one through the market's offer machine (sendProposal).
 */
import { shanghaiDate } from '../../../shared/domain/calendar';
import { atRiskLots, surplusFarms, unansweredDemand } from '../../../shared/domain/desk/at-risk';
import {
  DEFAULT_MATCH_PARAMS,
  proposeOffers,
  type DeskDemand,
  type ProposalPlan,
} from '../../../shared/domain/desk/proposals';
import type { Person } from '../../../shared/domain/desk/ledger';
import type { AtRiskQuery, MatchParamsBody, SendProposalBody } from '../../../shared/schemas/desk';
import { failureOf } from '../../../shared/failures';
import { deskFail, REASON_OF_DESK_CODE, type DeskOutcome } from './kernel/desk.http';
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
  ): Promise<DeskOutcome<{ plan: ProposalPlan }>> {
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
    return result.ok ? { ok: true, plan: result.plan } : deskFail(result.reason, result.message);
  }

  async function withNames(plan: ProposalPlan) {
    const nameOf = await names(plan.proposals.flatMap((p) => [p.sellerOrgId, p.buyerOrgId]));
    return {
      ...plan,
      proposals: plan.proposals.map((p) => ({
        ...p,
        sellerName: nameOf(p.sellerOrgId),
        buyerName: nameOf(p.buyerOrgId),
      })),
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
      const board = atRiskLots(lots, now, query.windowHours);
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
        lots: board.map((l) => ({ ...l, sellerName: nameOf(l.sellerOrgId) })),
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
      return result.ok ? { ok: true as const, lotId, ...(await withNames(result.plan)) } : result;
    },

    /** The best allocation over every open lot and demand. */
    async matchAll(body: MatchParamsBody, now: Date) {
      const result = await propose(await market.openLots(), body, now);
      return result.ok ? { ok: true as const, ...(await withNames(result.plan)) } : result;
    },

    /** Sends a reviewed proposal as a brokered offer, when the market offers that (else 501 SEND_NOT_AVAILABLE). */
    /** The deal log: brokered offers, newest first, with the parties' names. */
    async brokeredOffers(limit: number) {
      const found = await market.brokeredOffers(limit);
      const nameOf = await names([...new Set(found.flatMap((o) => [o.sellerOrgId, o.buyerOrgId]))]);
      return {
        items: found.map((o) => ({ ...o, sellerName: nameOf(o.sellerOrgId), buyerName: nameOf(o.buyerOrgId) })),
      };
    },

    async sendProposal(body: SendProposalBody, broker: Person, now: Date): Promise<DeskOutcome<{ offerId: string }>> {
      if (!market.sendBrokeredOffer) return deskFail('SEND_NOT_AVAILABLE', 'This market cannot take brokered offers');
      // As with On-Behalf-Of over HTTP: a broker acts only for a verified farm.
      const lot = await market.lot(body.lotId);
      if (!lot) return deskFail('NOT_FOUND', 'No such lot', 'lotId');
      const farm = await directory.organisation(lot.sellerOrgId);
      if (!farm || farm.kind !== 'farm' || farm.verification !== 'verified')
        return deskFail('FARM_NOT_VERIFIED', 'The lot’s farm is not a verified farm', 'lotId');
      const sent = await market.sendBrokeredOffer({ ...body, broker }, now);
      if (!sent.ok) {
        // The market's failure, told as the desk's: its message and fields, and its code as `marketReason`.
        const { code, message, fields } = sent.error;
        return {
          ok: false,
          error: failureOf(REASON_OF_DESK_CODE.MARKET_REFUSED, 'MARKET_REFUSED', message, {
            ...(fields ? { fields } : {}),
            details: { marketReason: code },
          }),
        };
      }
      return { ok: true, offerId: sent.offerId };
    },
  };
}
