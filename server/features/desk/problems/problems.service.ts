/**
 * The problem list: load, apply the pure rule (shared/domain/desk/problems.ts), save with a
 * compare-and-set on the revision so two staff editing at once cannot silently overwrite.
 */
import {
  countProblems,
  editProblem,
  linkOrders,
  newProblem,
  problemSummary,
  transitionProblem,
  type Problem,
  type ProblemOutcome,
} from '../../../../shared/domain/desk/problems';
import type { Person } from '../../../../shared/domain/desk/ledger';
import { pageOf } from '../../../../shared/domain/paging';
import type {
  CreateProblemBody,
  ListProblemsQuery,
  TransitionProblemBody,
  UpdateProblemBody,
} from '../../../../shared/schemas/desk';
import type { Result } from '../../../outcome';
import { deskFail } from '../kernel/desk.http';
import type { Directory } from '../desk.directory';
import type { VisitRepository } from '../visits/visits.repository';
import type { ProblemRepository } from './problems.repository';

export interface ProblemsDeps {
  problems: ProblemRepository;
  visits: VisitRepository;
  directory: Directory;
}

/** The most problems the counts read (a county's chamber raises a few thousand at most). */
const MAX_COUNTED_PROBLEMS = 10_000;

export type ProblemsService = ReturnType<typeof createProblemsService>;

export function createProblemsService(deps: ProblemsDeps) {
  const { problems, visits, directory } = deps;

  async function update(id: string, change: (p: Problem) => ProblemOutcome): Promise<Result<{ problem: Problem }>> {
    const stored = await problems.findById(id);
    if (!stored) return deskFail('NOT_FOUND', 'No such problem');
    const outcome = change(stored.problem);
    if (!outcome.ok)
      return deskFail(outcome.reason, outcome.message, {
        field: outcome.field,
        ...(outcome.status ? { details: { status: outcome.status } } : {}),
      });
    if (outcome.problem === stored.problem) return { ok: true, problem: stored.problem };
    const saved = await problems.replaceIfUnchanged(outcome.problem, stored.revision);
    if (!saved) return deskFail('STALE', 'Someone else changed this problem just now; reload and try again');
    return { ok: true, problem: saved };
  }

  return {
    async create(body: CreateProblemBody, by: Person, now: Date): Promise<Result<{ problem: Problem }>> {
      const org = await directory.organisation(body.orgId);
      if (!org) return deskFail('NOT_FOUND', 'No such enterprise', { field: 'orgId' });
      if (org.kind === 'chamber')
        return deskFail('NOT_AN_ENTERPRISE', 'Problems are raised for farms and restaurants', { field: 'orgId' });
      if (body.visitId) {
        const visit = await visits.findById(body.visitId);
        if (!visit) return deskFail('NOT_FOUND', 'No such visit', { field: 'visitId' });
        if (visit.orgId !== body.orgId)
          return deskFail('VISIT_OF_ANOTHER_ORG', 'That visit was to another enterprise', { field: 'visitId' });
      }
      const made = newProblem({ id: problems.newId(), ...body, raisedBy: by }, now);
      if (!made.ok) return deskFail.refused(made);
      const [saved] = await problems.insertMany([made.problem]);
      return { ok: true, problem: saved };
    },

    async get(id: string): Promise<Result<{ problem: Problem }>> {
      const stored = await problems.findById(id);
      return stored ? { ok: true, problem: stored.problem } : deskFail('NOT_FOUND', 'No such problem');
    },

    /**
     * A page of the list (newest first) with counts over everything the filter matches: "29 raised, 19
     * resolved (on site: N)" — over at most MAX_COUNTED_PROBLEMS problems (`countsTruncated` when more).
     */
    async list(query: ListProblemsQuery) {
      const { limit, cursor, ...filter } = query;
      const [rows, all] = await Promise.all([
        problems.page(filter, limit + 1, cursor),
        problems.all({ ...filter, status: undefined }, MAX_COUNTED_PROBLEMS + 1),
      ]);
      const counts = countProblems(all.slice(0, MAX_COUNTED_PROBLEMS));
      return {
        ...pageOf(rows, limit, (p) => ({ sort: 'problems-newest', keys: [p.createdAt.getTime()], id: p.id })),
        counts,
        countsTruncated: all.length > MAX_COUNTED_PROBLEMS,
        summary: { 'zh-CN': problemSummary(counts, 'zh-CN'), en: problemSummary(counts, 'en') },
      };
    },

    edit: (id: string, body: UpdateProblemBody, by: Person, now: Date) =>
      update(id, (p) => editProblem(p, body, by, now)),

    transition(id: string, body: TransitionProblemBody, by: Person, now: Date) {
      return update(id, (p) => transitionProblem(p, { ...body, by }, now));
    },

    /** Deals that solved it. Order ids are not checked against the market (a deal may predate the platform). */
    link: (id: string, orderIds: readonly string[], by: Person, now: Date) =>
      update(id, (p) => linkOrders(p, orderIds, by, now)),
  };
}
