/**
 * The problem list (问题清单): what enterprises need, and whether the chamber solved it.
 *
 *   open ──start──▶ in_progress ──resolve──▶ resolved
 *    └──────────────resolve─────────────────▲     │
 *    ▲──────────────────reopen────────────────────┘
 *
 * Resolving needs a resolution text; `resolvedOnSite` (现场解决) is allowed only for a
 * problem raised on a visit. Reopening is allowed, with a reason: a market-access problem
 * "solved" by one deal can come back when the buyer stops ordering, and the honest count is
 * the current one. The history keeps every step, including the earlier resolution.
 */
import { fail, type Failure } from '../outcome';
import type { Person } from './ledger';

export type ProblemCategory = 'sales' | 'logistics' | 'financing' | 'labour' | 'technology' | 'policy' | 'other';
export const PROBLEM_CATEGORIES = [
  'sales',
  'logistics',
  'financing',
  'labour',
  'technology',
  'policy',
  'other',
] as const satisfies readonly ProblemCategory[];

export type Urgency = 'low' | 'normal' | 'high' | 'urgent';
export const URGENCIES = ['low', 'normal', 'high', 'urgent'] as const satisfies readonly Urgency[];

export type ProblemStatus = 'open' | 'in_progress' | 'resolved';
export const PROBLEM_STATUSES = ['open', 'in_progress', 'resolved'] as const satisfies readonly ProblemStatus[];

export type ProblemTransition =
  | { type: 'start'; by: Person }
  | { type: 'resolve'; by: Person; resolution: string; resolvedOnSite?: boolean }
  | { type: 'reopen'; by: Person; reason: string };

export interface ProblemStep {
  action: 'raise' | 'start' | 'resolve' | 'reopen' | 'edit' | 'link';
  by: Person;
  at: Date;
  from?: ProblemStatus;
  to?: ProblemStatus;
  text?: string;
  resolvedOnSite?: boolean;
  orderIds?: string[];
}

export interface Problem {
  id: string;
  orgId: string;
  visitId?: string;
  category: ProblemCategory;
  description: string;
  urgency: Urgency;
  assignee?: Person;
  status: ProblemStatus;
  resolution?: string;
  resolvedOnSite?: boolean;
  resolvedAt?: Date;
  resolvedBy?: Person;
  /** Orders (deals) that solved or helped solve it. */
  orderIds: string[];
  raisedBy: Person;
  history: ProblemStep[];
  createdAt: Date;
  updatedAt: Date;
}

export interface NewProblemInput {
  id: string;
  orgId: string;
  visitId?: string;
  category: ProblemCategory;
  description: string;
  urgency?: Urgency;
  assignee?: Person;
  raisedBy: Person;
}

type ProblemFailure = Failure<
  | 'DESCRIPTION_REQUIRED'
  | 'RESOLUTION_REQUIRED'
  | 'REASON_REQUIRED'
  | 'WRONG_STATUS'
  | 'NOT_ON_A_VISIT'
  | 'RESOLVED_IS_READ_ONLY'
  | 'TOO_MANY_LINKS'
> & { status?: ProblemStatus };
export type ProblemOutcome = { ok: true; problem: Problem } | ProblemFailure;

const MAX_LINKED_ORDERS = 50;

export function newProblem(input: NewProblemInput, now: Date): ProblemOutcome {
  const description = input.description.trim();
  if (description === '') return fail('DESCRIPTION_REQUIRED', 'Describe the problem', 'description');
  return {
    ok: true,
    problem: {
      id: input.id,
      orgId: input.orgId,
      ...(input.visitId ? { visitId: input.visitId } : {}),
      category: input.category,
      description,
      urgency: input.urgency ?? 'normal',
      ...(input.assignee ? { assignee: input.assignee } : {}),
      status: 'open',
      orderIds: [],
      raisedBy: input.raisedBy,
      history: [{ action: 'raise', by: input.raisedBy, at: now, to: 'open' }],
      createdAt: now,
      updatedAt: now,
    },
  };
}

const wrongStatus = (p: Problem, action: string): ProblemFailure => ({
  ...fail('WRONG_STATUS', `Cannot ${action} a problem that is ${p.status.replace('_', ' ')}`),
  status: p.status,
});

export function transitionProblem(problem: Problem, t: ProblemTransition, now: Date): ProblemOutcome {
  const step = (to: ProblemStatus, extra: Partial<ProblemStep>): ProblemStep => ({
    action: t.type,
    by: t.by,
    at: now,
    from: problem.status,
    to,
    ...extra,
  });
  switch (t.type) {
    case 'start':
      if (problem.status !== 'open') return wrongStatus(problem, 'start work on');
      return {
        ok: true,
        problem: {
          ...problem,
          status: 'in_progress',
          updatedAt: now,
          history: [...problem.history, step('in_progress', {})],
        },
      };
    case 'resolve': {
      if (problem.status === 'resolved') return wrongStatus(problem, 'resolve');
      const resolution = t.resolution.trim();
      if (resolution === '') return fail('RESOLUTION_REQUIRED', 'Say how it was solved', 'resolution');
      const onSite = t.resolvedOnSite === true;
      if (onSite && !problem.visitId)
        return fail('NOT_ON_A_VISIT', 'Only a problem raised on a visit can be solved on site', 'resolvedOnSite');
      return {
        ok: true,
        problem: {
          ...problem,
          status: 'resolved',
          resolution,
          resolvedOnSite: onSite,
          resolvedAt: now,
          resolvedBy: t.by,
          updatedAt: now,
          history: [...problem.history, step('resolved', { text: resolution, resolvedOnSite: onSite })],
        },
      };
    }
    case 'reopen': {
      if (problem.status !== 'resolved') return wrongStatus(problem, 'reopen');
      const reason = t.reason.trim();
      if (reason === '') return fail('REASON_REQUIRED', 'Say why it is reopened', 'reason');
      const { resolution: _r, resolvedOnSite: _o, resolvedAt: _a, resolvedBy: _b, ...rest } = problem;
      return {
        ok: true,
        problem: {
          ...rest,
          status: 'open',
          updatedAt: now,
          history: [...problem.history, step('open', { text: reason })],
        },
      };
    }
  }
}

export interface ProblemEdit {
  category?: ProblemCategory;
  description?: string;
  urgency?: Urgency;
  /** null clears the assignee. */
  assignee?: Person | null;
}

/** Editing a resolved problem would rewrite what was reported: reopen it first. */
export function editProblem(problem: Problem, edit: ProblemEdit, by: Person, now: Date): ProblemOutcome {
  if (problem.status === 'resolved')
    return { ...fail('RESOLVED_IS_READ_ONLY', 'Reopen the problem before editing it'), status: problem.status };
  let description = problem.description;
  if (edit.description !== undefined) {
    description = edit.description.trim();
    if (description === '') return fail('DESCRIPTION_REQUIRED', 'Describe the problem', 'description');
  }
  const { assignee: _old, ...rest } = problem;
  const assignee = edit.assignee === undefined ? problem.assignee : (edit.assignee ?? undefined);
  const changed = Object.keys(edit).join(', ');
  return {
    ok: true,
    problem: {
      ...rest,
      ...(assignee ? { assignee } : {}),
      category: edit.category ?? problem.category,
      urgency: edit.urgency ?? problem.urgency,
      description,
      updatedAt: now,
      history: [...problem.history, { action: 'edit', by, at: now, text: changed }],
    },
  };
}

/** Links deals to the problem (any status: a deal often comes after the problem is closed). Duplicates are ignored. */
export function linkOrders(problem: Problem, orderIds: readonly string[], by: Person, now: Date): ProblemOutcome {
  const added = [...new Set(orderIds)].filter((id) => !problem.orderIds.includes(id));
  if (problem.orderIds.length + added.length > MAX_LINKED_ORDERS) {
    return fail('TOO_MANY_LINKS', `A problem links at most ${MAX_LINKED_ORDERS} orders`, 'orderIds');
  }
  if (added.length === 0) return { ok: true, problem };
  return {
    ok: true,
    problem: {
      ...problem,
      orderIds: [...problem.orderIds, ...added],
      updatedAt: now,
      history: [...problem.history, { action: 'link', by, at: now, orderIds: added }],
    },
  };
}

export interface ProblemCounts {
  raised: number;
  resolved: number;
  resolvedOnSite: number;
  byStatus: Record<ProblemStatus, number>;
  byCategory: Record<ProblemCategory, { raised: number; resolved: number }>;
  byUrgency: Record<Urgency, { raised: number; resolved: number }>;
}

const zeroes = <K extends string, V>(keys: readonly K[], make: () => V) =>
  Object.fromEntries(keys.map((k) => [k, make()])) as Record<K, V>;

export function countProblems(problems: readonly Problem[]): ProblemCounts {
  const counts: ProblemCounts = {
    raised: 0,
    resolved: 0,
    resolvedOnSite: 0,
    byStatus: zeroes(PROBLEM_STATUSES, () => 0),
    byCategory: zeroes(PROBLEM_CATEGORIES, () => ({ raised: 0, resolved: 0 })),
    byUrgency: zeroes(URGENCIES, () => ({ raised: 0, resolved: 0 })),
  };
  for (const p of problems) {
    const resolved = p.status === 'resolved' ? 1 : 0;
    counts.raised++;
    counts.resolved += resolved;
    if (resolved && p.resolvedOnSite) counts.resolvedOnSite++;
    counts.byStatus[p.status]++;
    counts.byCategory[p.category].raised++;
    counts.byCategory[p.category].resolved += resolved;
    counts.byUrgency[p.urgency].raised++;
    counts.byUrgency[p.urgency].resolved += resolved;
  }
  return counts;
}

/** "梳理问题29个，已解决19个（其中现场解决12个）" / "29 problems raised, 19 resolved (on site: 12)". */
export function problemSummary(counts: ProblemCounts, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  return locale === 'zh-CN'
    ? `梳理问题${counts.raised}个，已解决${counts.resolved}个（其中现场解决${counts.resolvedOnSite}个）`
    : `${counts.raised} problems raised, ${counts.resolved} resolved (on site: ${counts.resolvedOnSite})`;
}
