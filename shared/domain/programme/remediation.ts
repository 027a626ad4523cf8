/**
 * Research topics (调研课题) group problems; special remediation plans (专项整治方案) hold tasks with owners
 * and due dates; the outcomes list (成果转化清单) links problems, plans, deals (orders) and campaigns.
 */
import type { CalendarDate } from '../calendar';
import { fail, type Failure } from '../outcome';

const MAX_TASKS = 50;
const MAX_LINKS = 100;

export interface ResearchTopic {
  id: string;
  title: string;
  summary?: string;
  problemIds: string[];
  createdBy: string;
  createdAt: Date;
}

type PlanStatus = 'draft' | 'active' | 'done';

export interface PlanTask {
  title: string;
  owner: string;
  dueOn: CalendarDate;
  doneAt?: Date;
}

export interface RemediationPlan {
  id: string;
  title: string;
  topicId?: string;
  problemIds: string[];
  tasks: PlanTask[];
  status: PlanStatus;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface OutcomeLinks {
  problemIds: string[];
  planIds: string[];
  orderIds: string[];
  campaignIds: string[];
}

export interface ProgrammeOutcome extends OutcomeLinks {
  id: string;
  title: string;
  description?: string;
  /** The day it was achieved (Shanghai calendar). */
  achievedOn: CalendarDate;
  createdBy: string;
  createdAt: Date;
}

const unique = (list: readonly string[] | undefined) => [...new Set(list ?? [])];

export function newPlan(
  input: { id: string; title: string; topicId?: string; problemIds?: string[]; tasks: PlanTask[]; by: string },
  now: Date,
): { ok: true; plan: RemediationPlan } | Failure<'TOO_MANY_TASKS'> {
  if (input.tasks.length > MAX_TASKS) return fail('TOO_MANY_TASKS', `At most ${MAX_TASKS} tasks`, 'tasks');
  return {
    ok: true,
    plan: {
      id: input.id,
      title: input.title.trim(),
      ...(input.topicId ? { topicId: input.topicId } : {}),
      problemIds: unique(input.problemIds),
      tasks: input.tasks.map((t) => ({ title: t.title.trim(), owner: t.owner.trim(), dueOn: t.dueOn })),
      status: 'active',
      createdBy: input.by,
      createdAt: now,
      updatedAt: now,
    },
  };
}

/** Marks a task done (or not); when every task is done the plan is done, and undoing one reopens it. */
export function setTaskDone(
  plan: RemediationPlan,
  index: number,
  done: boolean,
  now: Date,
): { ok: true; plan: RemediationPlan } | Failure<'NO_SUCH_TASK'> {
  const task = plan.tasks[index];
  if (!task) return fail('NO_SUCH_TASK', 'No task at that position', 'index');
  const tasks = plan.tasks.map((t, i): PlanTask => {
    if (i !== index) return t;
    const { doneAt: _d, ...open } = t;
    return done ? { ...open, doneAt: t.doneAt ?? now } : open;
  });
  const status: PlanStatus = tasks.every((t) => t.doneAt) ? 'done' : 'active';
  return { ok: true, plan: { ...plan, tasks, status, updatedAt: now } };
}

/** Tasks past their due day and not done, as of `today`. */
export function overdueTasks(plan: RemediationPlan, today: CalendarDate): PlanTask[] {
  return plan.tasks.filter((t) => !t.doneAt && t.dueOn < today);
}

export function outcomeLinks(
  input: Partial<OutcomeLinks>,
): { ok: true; links: OutcomeLinks } | Failure<'TOO_MANY_LINKS'> {
  const links = {
    problemIds: unique(input.problemIds),
    planIds: unique(input.planIds),
    orderIds: unique(input.orderIds),
    campaignIds: unique(input.campaignIds),
  };
  const total = links.problemIds.length + links.planIds.length + links.orderIds.length + links.campaignIds.length;
  if (total > MAX_LINKS) return fail('TOO_MANY_LINKS', `At most ${MAX_LINKS} links`, 'links');
  return { ok: true, links };
}
