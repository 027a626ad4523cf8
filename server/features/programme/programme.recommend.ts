/**
 * Targeted recommendations: for a farm or a village with produce to place (7-day outlook surplus and
 * open lots at risk, from the desk's market port), rank the buying enterprises most likely to take it
 * (shared/domain/programme/recommend.ts), each with its reason and, where the enterprise has open demand
 * for a product the farm has a lot of, a ready brokered offer for the desk's existing
 * POST /api/desk/proposals/send (sendBrokeredOffer).
 */
import { addDays, shanghaiDate } from '../../../shared/domain/calendar';
import { atRiskLots, surplusFarms } from '../../../shared/domain/desk/at-risk';
import { reasonText, recommendBuyers } from '../../../shared/domain/programme/recommend';
import { BUYER_KINDS } from '../../../shared/schemas/accounts';
import type { RecommendationsQuery } from '../../../shared/schemas/programme';
import type { MarketPort } from '../desk';
import { programmeFail } from './programme.http';
import type { ProgrammeRepository } from './programme.repository';

const HISTORY_DAYS = 30;
const DAY_MS = 86_400_000;

export function createRecommendationsService({ repo, market }: { repo: ProgrammeRepository; market: MarketPort }) {
  return {
    async recommend(query: RecommendationsQuery, now: Date) {
      const farmIds = query.farmId ? [query.farmId] : await repo.farmIdsInVillages([query.village ?? '']);
      const farms = await repo.organisationsByIds(farmIds);
      if (query.farmId && !farms.some((f) => f.kind === 'farm'))
        return programmeFail('NOT_A_FARM', 'No such farm', { field: 'farmId' });
      if (farms.length === 0) return programmeFail('NOT_FOUND', 'No farms in that village', { field: 'village' });
      const ids = new Set(farms.map((f) => f.id));

      const lots = (await market.openLots()).filter((l) => ids.has(l.sellerOrgId));
      const atRisk = atRiskLots(lots, now);
      const surplus = surplusFarms(
        (await market.outlooks(shanghaiDate(now), 7)).filter((o) => ids.has(o.orgId)),
      ).flatMap((f) => f.products);
      const productCodes = query.productCodes ?? [
        ...new Set([
          ...atRisk.map((l) => l.productCode),
          ...surplus.map((p) => p.productCode),
          ...lots.map((l) => l.productCode),
        ]),
      ];
      const location = farms.find((f) => f.location)?.location;
      const villages = [...new Set(farms.map((f) => f.village).filter((v): v is string => !!v))];

      const [candidates, history, demand, pairings] = await Promise.all([
        repo.verifiedOfKinds(BUYER_KINDS),
        repo.countedOrdersBetween(new Date(now.getTime() - HISTORY_DAYS * DAY_MS), now),
        market.openDemand(),
        repo.listPairings({ status: 'active' }, { limit: 500 }),
      ]);
      const ranked = recommendBuyers({
        target: { farmIds: [...ids], villages, productCodes, ...(location ? { location } : {}) },
        candidates: candidates.map((c) => ({
          orgId: c.id,
          name: c.name,
          kind: c.kind,
          ...(c.location ? { location: c.location } : {}),
        })),
        purchases: history.map((o) => ({
          buyerOrgId: o.buyerOrgId,
          productCode: o.productCode,
          grams: o.quantityGrams,
        })),
        openDemand: demand.map((d) => ({
          buyerOrgId: d.buyerOrgId,
          productCode: d.productCode,
          grams: d.quantityGrams,
        })),
        pairings,
        windowDays: HISTORY_DAYS,
      });

      // The lot to offer first: the one expiring soonest among the products wanted.
      const soonest = [...lots].sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
      const items = ranked.map((r) => {
        const wants = demand.filter((d) => d.buyerOrgId === r.orgId && productCodes.includes(d.productCode));
        let offer: { lotId: string; demandId: string; quantityGrams: number; priceFenPerKg: number } | undefined;
        for (const d of wants) {
          const lot = soonest.find(
            (l) =>
              l.productCode === d.productCode && l.reservePriceFenPerKg <= d.maxPriceFenPerKg && l.remainingGrams > 0,
          );
          if (lot) {
            offer = {
              lotId: lot.id,
              demandId: d.id,
              quantityGrams: Math.min(lot.remainingGrams, d.quantityGrams),
              priceFenPerKg: Math.min(lot.askPriceFenPerKg, d.maxPriceFenPerKg),
            };
            break;
          }
        }
        return {
          ...r,
          reason: { 'zh-CN': reasonText(r.reasons, 'zh-CN'), en: reasonText(r.reasons, 'en') },
          ...(offer ? { offer } : {}),
        };
      });
      return {
        ok: true as const,
        target: {
          farms: farms.map((f) => ({ id: f.id, name: f.name, ...(f.village ? { village: f.village } : {}) })),
          productCodes,
          atRiskLots: atRisk.length,
          surplusGrams: surplus.reduce((s, p) => s + p.surplusGrams, 0),
          from: shanghaiDate(now),
          to: addDays(shanghaiDate(now), 6),
        },
        items,
      };
    },
  };
}

export type RecommendationsService = ReturnType<typeof createRecommendationsService>;
