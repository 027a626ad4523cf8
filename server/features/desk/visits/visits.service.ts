/**
 * Visits (走访调研). Problems raised on a visit are created with it, pointing back at it.
 * The two inserts are not one transaction (FreshLink needs no replica set): the visit is
 * written first, so a failure can leave a visit without its problems, never orphan problems.
 */
import { shanghaiDate } from '../../../../shared/domain/calendar';
import { newProblem, type Problem } from '../../../../shared/domain/desk/problems';
import type { Person } from '../../../../shared/domain/desk/ledger';
import { newVisit, type Visit } from '../../../../shared/domain/desk/visits';
import { pageOf } from '../../../../shared/domain/paging';
import { resolveRange, type CreateVisitBody, type ListVisitsQuery } from '../../../../shared/schemas/desk';
import type { Result } from '../../../outcome';
import { deskFail } from '../kernel/desk.http';
import type { Directory } from '../desk.directory';
import type { ProblemRepository } from '../problems/problems.repository';
import type { VisitRepository } from './visits.repository';

export interface VisitsDeps {
  visits: VisitRepository;
  problems: ProblemRepository;
  directory: Directory;
}

export type VisitsService = ReturnType<typeof createVisitsService>;

export function createVisitsService(deps: VisitsDeps) {
  const { visits, problems, directory } = deps;
  return {
    async create(body: CreateVisitBody, by: Person, now: Date): Promise<Result<{ visit: Visit; problems: Problem[] }>> {
      const org = await directory.organisation(body.orgId);
      if (!org) return deskFail('NOT_FOUND', 'No such enterprise', { field: 'orgId' });
      if (org.kind === 'chamber')
        return deskFail('NOT_AN_ENTERPRISE', 'Visits are to farms and restaurants', { field: 'orgId' });
      const made = newVisit(
        {
          id: visits.newId(),
          orgId: body.orgId,
          visitedOn: body.visitedOn,
          staff: body.staff,
          notes: body.notes,
          attendees: body.attendees,
          createdBy: by,
        },
        now,
      );
      if (!made.ok) return deskFail.refused(made);
      const raised: Problem[] = [];
      for (const [i, p] of body.problems.entries()) {
        const problem = newProblem(
          { id: problems.newId(), orgId: body.orgId, visitId: made.visit.id, ...p, raisedBy: by },
          now,
        );
        if (!problem.ok)
          return deskFail(problem.reason, problem.message, {
            field: `problems.${i}.${problem.field ?? 'description'}`,
          });
        raised.push(problem.problem);
      }
      const visit = await visits.insert(made.visit);
      return { ok: true, visit, problems: await problems.insertMany(raised) };
    },

    async list(query: ListVisitsQuery, now: Date) {
      const { from, to } = resolveRange(query, shanghaiDate(now));
      const rows = await visits.list({
        from,
        to,
        orgId: query.orgId,
        limit: query.limit + 1,
        ...(query.cursor ? { after: query.cursor } : {}),
      });
      const orgs = await directory.organisations(rows.map((v) => v.orgId));
      const page = pageOf(
        rows,
        query.limit,
        (v) => ({ sort: 'visits-newest', keys: [v.visitedOn], id: v.id }),
        (v) => ({ ...v, orgName: orgs.get(v.orgId)?.name ?? null }),
      );
      return { from, to, ...page };
    },
  };
}
