/**
 * Visits (走访调研) and problems (问题清单): the filtered list with its counts, logging a visit with
 * the problems heard there, and moving a problem open → in_progress → resolved. DOM-free.
 */
import type { ApiFailure, ApiResult } from './api-result';
import type { DeskApi, NewVisit, ProblemFilter } from './desk-api';
import type { ProblemCategory, ProblemCounts, ProblemRow, ProblemStatus, Urgency, VisitRow } from './desk-types';
import { Store } from './store';

export type ProblemAction =
  | { type: 'start' }
  | { type: 'resolve'; resolution: string; resolvedOnSite: boolean }
  | { type: 'reopen'; reason: string };

export interface ProblemsState {
  filter: ProblemFilter;
  problems: ProblemRow[];
  counts: ProblemCounts | null;
  visits: VisitRow[];
  loading: boolean;
  error: ApiFailure | null;
}

/** What a problem in this status may do next (docs/desk.md's state machine). */
export function nextActions(status: ProblemStatus): ProblemAction['type'][] {
  if (status === 'open') return ['start', 'resolve'];
  if (status === 'in_progress') return ['resolve'];
  return ['reopen'];
}

/** Order ids typed by a broker, one per line or separated by commas/spaces. */
export function parseOrderIds(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,，、]+/)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
}

export class DeskProblemsStore extends Store<ProblemsState> {
  constructor(private readonly api: DeskApi) {
    super({ filter: {}, problems: [], counts: null, visits: [], loading: false, error: null });
  }

  async load(): Promise<void> {
    this.setState({ loading: true });
    const [list, visits] = await Promise.all([this.api.problems(this.state.filter), this.api.visits({})]);
    this.setState({
      loading: false,
      error: !list.ok ? list.error : !visits.ok ? visits.error : null,
      ...(list.ok ? { problems: list.data.problems, counts: list.data.counts } : {}),
      ...(visits.ok ? { visits: visits.data.visits } : {}),
    });
  }

  setFilter(change: {
    status?: ProblemStatus | '';
    category?: ProblemCategory | '';
    urgency?: Urgency | '';
  }): Promise<void> {
    const filter: ProblemFilter = { ...this.state.filter };
    for (const [k, v] of Object.entries(change) as [keyof typeof change, string | undefined][]) {
      if (v) Object.assign(filter, { [k]: v });
      else delete filter[k];
    }
    this.setState({ filter });
    return this.load();
  }

  async logVisit(body: NewVisit): Promise<ApiResult<{ visit: VisitRow; problems: ProblemRow[] }>> {
    const r = await this.api.createVisit(body);
    if (r.ok) await this.load();
    return r;
  }

  async raise(body: {
    orgId: string;
    visitId?: string;
    category: ProblemCategory;
    description: string;
    urgency: Urgency;
  }): Promise<ApiResult<{ problem: ProblemRow }>> {
    const r = await this.api.createProblem(body);
    if (r.ok) await this.load();
    return r;
  }

  async act(id: string, action: ProblemAction): Promise<ApiResult<{ problem: ProblemRow }>> {
    const r = await this.api.transition(id, action);
    if (r.ok) await this.load();
    return r;
  }

  async assign(
    id: string,
    assignee: { userId: string; name: string } | null,
  ): Promise<ApiResult<{ problem: ProblemRow }>> {
    const r = await this.api.updateProblem(id, { assignee });
    if (r.ok) this.#put(r.data.problem);
    return r;
  }

  async link(id: string, orderIdsText: string): Promise<ApiResult<{ problem: ProblemRow }> | null> {
    const ids = parseOrderIds(orderIdsText);
    if (ids.length === 0) return null;
    const r = await this.api.link(id, ids);
    if (r.ok) this.#put(r.data.problem);
    return r;
  }

  #put(problem: ProblemRow): void {
    this.setState({ problems: this.state.problems.map((p) => (p.id === problem.id ? problem : p)) });
  }
}
