import { Types, type Connection } from 'mongoose';
import { dateFromEpoch, keysetAfter, keysetSort, objectIdOf, withKeyset } from '../../../data/keyset';
import type { PageCursor } from '../../../../shared/domain/paging';
import type { Person } from '../../../../shared/domain/desk/ledger';
import type {
  Problem,
  ProblemCategory,
  ProblemStatus,
  ProblemStep,
  Urgency,
} from '../../../../shared/domain/desk/problems';
import { problemModel } from './problems.model';

type Lean = Record<string, unknown> & { _id: Types.ObjectId };

export interface StoredProblem {
  problem: Problem;
  revision: number;
}

const toPerson = (p: Person): Person => ({ userId: p.userId, name: p.name });

function toStep(s: ProblemStep): ProblemStep {
  return {
    action: s.action,
    by: toPerson(s.by),
    at: s.at,
    ...(s.from ? { from: s.from } : {}),
    ...(s.to ? { to: s.to } : {}),
    ...(s.text ? { text: s.text } : {}),
    ...(typeof s.resolvedOnSite === 'boolean' ? { resolvedOnSite: s.resolvedOnSite } : {}),
    ...(s.orderIds && s.orderIds.length ? { orderIds: [...s.orderIds] } : {}),
  };
}

function toStored(doc: Lean): StoredProblem {
  const problem: Problem = {
    id: String(doc._id),
    orgId: doc.orgId as string,
    ...(doc.visitId ? { visitId: doc.visitId as string } : {}),
    category: doc.category as ProblemCategory,
    description: doc.description as string,
    urgency: doc.urgency as Urgency,
    ...(doc.assignee ? { assignee: toPerson(doc.assignee as Person) } : {}),
    status: doc.status as ProblemStatus,
    ...(doc.resolution ? { resolution: doc.resolution as string } : {}),
    ...(typeof doc.resolvedOnSite === 'boolean' ? { resolvedOnSite: doc.resolvedOnSite } : {}),
    ...(doc.resolvedAt ? { resolvedAt: doc.resolvedAt as Date } : {}),
    ...(doc.resolvedBy ? { resolvedBy: toPerson(doc.resolvedBy as Person) } : {}),
    orderIds: [...((doc.orderIds as string[] | undefined) ?? [])],
    raisedBy: toPerson(doc.raisedBy as Person),
    history: ((doc.history as ProblemStep[] | undefined) ?? []).map(toStep),
    createdAt: doc.createdAt as Date,
    updatedAt: doc.updatedAt as Date,
  };
  return { problem, revision: (doc.revision as number | undefined) ?? 0 };
}

export interface ProblemFilter {
  orgId?: string;
  visitId?: string;
  status?: ProblemStatus;
  category?: ProblemCategory;
  urgency?: Urgency;
  assigneeId?: string;
}

function toQuery(f: ProblemFilter): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (f.orgId) q.orgId = String(f.orgId);
  if (f.visitId) q.visitId = String(f.visitId);
  if (f.status) q.status = f.status;
  if (f.category) q.category = f.category;
  if (f.urgency) q.urgency = f.urgency;
  if (f.assigneeId) q['assignee.userId'] = String(f.assigneeId);
  return q;
}

export type ProblemRepository = ReturnType<typeof createProblemRepository>;

export function createProblemRepository(connection: Connection) {
  const Problem = problemModel(connection);
  return {
    async ensureIndexes(): Promise<void> {
      await Problem.init();
    },
    newId: () => new Types.ObjectId().toHexString(),

    async insertMany(problems: readonly Problem[]): Promise<Problem[]> {
      if (problems.length === 0) return [];
      const docs = await Problem.insertMany(
        problems.map(({ id, ...rest }) => ({ _id: new Types.ObjectId(id), ...rest, revision: 0 })),
      );
      return docs.map((d) => toStored(d.toObject() as unknown as Lean).problem);
    },

    async findById(id: string): Promise<StoredProblem | null> {
      if (!Types.ObjectId.isValid(id)) return null;
      const doc = await Problem.findById(id).lean<Lean>();
      return doc ? toStored(doc) : null;
    },

    /** Replaces the problem only if nobody saved it since `revision` was read; null when someone did. */
    async replaceIfUnchanged(problem: Problem, revision: number): Promise<Problem | null> {
      const { id, ...rest } = problem;
      const unset: Record<string, 1> = {};
      for (const key of ['visitId', 'assignee', 'resolution', 'resolvedOnSite', 'resolvedAt', 'resolvedBy'] as const) {
        if (problem[key] === undefined) unset[key] = 1;
      }
      const doc = await Problem.findOneAndUpdate(
        { _id: new Types.ObjectId(id), revision },
        { $set: { ...rest, revision: revision + 1 }, ...(Object.keys(unset).length ? { $unset: unset } : {}) },
        { returnDocument: 'after' },
      ).lean<Lean>();
      return doc ? toStored(doc).problem : null;
    },

    /** A page: newest raised first (creation time, then id), `limit` rows after `after`. */
    async page(filter: ProblemFilter, limit: number, after: PageCursor | undefined): Promise<Problem[]> {
      const beyond = keysetAfter('createdAt', -1, after, dateFromEpoch, objectIdOf);
      const docs = await Problem.find(withKeyset(toQuery(filter), beyond))
        .sort(keysetSort('createdAt', -1))
        .limit(limit)
        .lean<Lean[]>();
      return docs.map((d) => toStored(d).problem);
    },

    /** Problems matching the filter, for the counts: at most `limit` (the list has a few thousand at most). */
    async all(filter: ProblemFilter, limit: number): Promise<Problem[]> {
      const docs = await Problem.find(toQuery(filter)).limit(limit).lean<Lean[]>();
      return docs.map((d) => toStored(d).problem);
    },
  };
}
