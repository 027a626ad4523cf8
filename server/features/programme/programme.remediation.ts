/**
 * Research topics (调研课题), remediation plans (专项整治方案) with tasks, and the outcomes list
 * (成果转化清单), plus the programme dashboard's counts per period. Chamber staff only (routes).
 */
import { shanghaiDate, shanghaiInstant, addDays } from '../../../shared/domain/calendar';
import {
  newPlan,
  outcomeLinks,
  programmeDashboard,
  setTaskDone,
  sumOrders,
  campaignScope,
  pairingScope,
  overdueTasks,
} from '../../../shared/domain/programme';
import type { DailyOutcome } from '../../../shared/domain/desk/sell-through';
import { pageOf } from '../../../shared/domain/paging';
import type { ProgrammePageQuery } from '../../../shared/schemas/programme';
import type { MarketPort } from '../desk';
import { programmeFail } from './programme.http';
import type { ProgrammeRepository } from './programme.repository';

/** How far before the period the dashboard looks for each farm's "before" sell-through. */
const BEFORE_DAYS = 90;

interface Actor {
  userId: string;
}

export function createRemediationService({ repo, market }: { repo: ProgrammeRepository; market: MarketPort }) {
  return {
    async createTopic(body: { title: string; summary?: string; problemIds?: string[] }, actor: Actor, now: Date) {
      const topic = {
        id: repo.newId(),
        title: body.title,
        ...(body.summary ? { summary: body.summary } : {}),
        problemIds: [...new Set(body.problemIds ?? [])],
        createdBy: actor.userId,
        createdAt: now,
      };
      await repo.insertTopic(topic);
      return { ok: true as const, topic };
    },
    async updateTopic(id: string, body: { title?: string; summary?: string; problemIds?: string[] }) {
      const topic = await repo.findTopic(id);
      if (!topic) return programmeFail('NOT_FOUND', 'No such research topic');
      const next = {
        ...topic,
        ...(body.title ? { title: body.title } : {}),
        ...(body.summary ? { summary: body.summary } : {}),
        ...(body.problemIds ? { problemIds: [...new Set(body.problemIds)] } : {}),
      };
      await repo.saveTopic(next);
      return { ok: true as const, topic: next };
    },
    /** Newest first, a page at a time. */
    async listTopics(page: ProgrammePageQuery) {
      const rows = await repo.listTopics({ ...page, limit: page.limit + 1 });
      return pageOf(rows, page.limit, (t) => ({ sort: 'topics-newest', keys: [t.createdAt.getTime()], id: t.id }));
    },

    async createPlan(
      body: {
        title: string;
        topicId?: string;
        problemIds?: string[];
        tasks: { title: string; owner: string; dueOn: string }[];
      },
      actor: Actor,
      now: Date,
    ) {
      if (body.topicId && !(await repo.findTopic(body.topicId)))
        return programmeFail('NOT_FOUND', 'No such research topic', { field: 'topicId' });
      const made = newPlan({ ...body, id: repo.newId(), by: actor.userId }, now);
      if (!made.ok) return programmeFail.refused(made);
      await repo.insertPlan(made.plan);
      return { ok: true as const, plan: made.plan };
    },
    async setTask(id: string, index: number, done: boolean, now: Date) {
      const plan = await repo.findPlan(id);
      if (!plan) return programmeFail('NOT_FOUND', 'No such plan');
      const changed = setTaskDone(plan, index, done, now);
      if (!changed.ok) return programmeFail.refused(changed);
      await repo.savePlan(changed.plan);
      return { ok: true as const, plan: changed.plan };
    },
    /** Newest first, a page at a time, each with its number of overdue tasks. */
    async listPlans(page: ProgrammePageQuery, now: Date) {
      const plans = await repo.listPlans({ ...page, limit: page.limit + 1 });
      const today = shanghaiDate(now);
      return pageOf(
        plans,
        page.limit,
        (p) => ({ sort: 'plans-newest', keys: [p.createdAt.getTime()], id: p.id }),
        (p) => ({ ...p, overdue: overdueTasks(p, today).length }),
      );
    },

    async createOutcome(
      body: {
        title: string;
        description?: string;
        achievedOn: string;
        problemIds?: string[];
        planIds?: string[];
        orderIds?: string[];
        campaignIds?: string[];
      },
      actor: Actor,
      now: Date,
    ) {
      const links = outcomeLinks(body);
      if (!links.ok) return programmeFail.refused(links);
      const outcome = {
        id: repo.newId(),
        title: body.title,
        ...(body.description ? { description: body.description } : {}),
        achievedOn: body.achievedOn,
        ...links.links,
        createdBy: actor.userId,
        createdAt: now,
      };
      await repo.insertOutcome(outcome);
      return { ok: true as const, outcome };
    },
    /** Newest achieved first, a page at a time. */
    async listOutcomes(page: ProgrammePageQuery) {
      const rows = await repo.listOutcomes({ ...page, limit: page.limit + 1 });
      return pageOf(rows, page.limit, (o) => ({ sort: 'outcomes-newest', keys: [o.achievedOn], id: o.id }));
    },

    /**
     * The dashboard for [from, to] (Shanghai days). Facilitated sales = ledger entries (brokered and
     * direct procurement) + orders counted in campaigns and pairings of the period, each order once.
     */
    async dashboard(range: { from: string; to: string }) {
      const start = shanghaiInstant(range.from);
      const end = shanghaiInstant(addDays(range.to, 1));
      const [visits, problems, plans, outcomes, ledger, campaigns, pairings] = await Promise.all([
        repo.visitsBetween(range.from, range.to),
        repo.problemsCreatedBetween(start, end),
        repo.plansCreatedBetween(start, end),
        repo.outcomesBetween(range.from, range.to),
        repo.ledgerSalesBetween(start, end),
        repo.listCampaigns({ limit: 50 }),
        repo.listPairings({}, { limit: 200 }),
      ]);
      const clip = <T extends { startsAt: Date; endsAt: Date }>(x: T): T => ({
        ...x,
        startsAt: new Date(Math.max(x.startsAt.getTime(), start.getTime())),
        endsAt: new Date(Math.min(x.endsAt.getTime(), end.getTime())),
      });
      const overlapping = <T extends { startsAt: Date; endsAt: Date }>(x: T) =>
        x.startsAt.getTime() < end.getTime() && x.endsAt.getTime() > start.getTime();
      const scopes = [
        ...campaigns.filter(overlapping).map((c) => campaignScope(clip(c))),
        ...pairings.filter(overlapping).map((p) => pairingScope(clip(p))),
      ];
      const programmeOrders = (await Promise.all(scopes.map((s) => repo.ordersInScope(s)))).flatMap((r) => r.orders);
      const sales = [
        ...ledger,
        ...programmeOrders.map((o) => ({
          orderId: o.id,
          at: o.confirmedAt,
          valueFen: o.totalFen,
          grams: o.quantityGrams,
          buyerOrgId: o.buyerOrgId,
          sellerOrgId: o.sellerOrgId,
          ...(o.sellerVillage ? { village: o.sellerVillage } : {}),
        })),
      ];
      const sellThrough: DailyOutcome[] = await market.dailyOutcomes(addDays(range.from, -BEFORE_DAYS), range.to);
      const board = programmeDashboard({
        from: range.from,
        to: range.to,
        visits,
        problems,
        plans,
        outcomes,
        sales,
        sellThrough,
      });
      const names = new Map(
        (await repo.organisationsByIds(board.farms.map((f) => f.farmId))).map((o) => [o.id, o.name]),
      );
      return {
        ...board,
        farms: board.farms.map((f) => ({ ...f, name: names.get(f.farmId) ?? f.farmId })),
        campaigns: campaigns.filter(overlapping).length,
        pairings: pairings.filter(overlapping).length,
        campaignSales: sumOrders(programmeOrders),
      };
    },
  };
}

export type RemediationService = ReturnType<typeof createRemediationService>;
