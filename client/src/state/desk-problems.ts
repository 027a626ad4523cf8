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
  /** Where the next page of problems starts; null when every problem (matching the filter) is shown. */
  problemsCursor: string | null;
  counts: ProblemCounts | null;
  visits: VisitRow[];
  visitsCursor: string | null;
  loading: boolean;
  loadingMoreProblems: boolean;
  loadingMoreVisits: boolean;
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
    super({
      filter: {},
      problems: [],
      problemsCursor: null,
      counts: null,
      visits: [],
      visitsCursor: null,
      loading: false,
      loadingMoreProblems: false,
      loadingMoreVisits: false,
      error: null,
    });
  }

  /** The first page of problems (with the counts) and of visits. */
  async load(): Promise<void> {
    this.setState({ loading: true });
    const [list, visits] = await Promise.all([this.api.problems(this.state.filter), this.api.visits({})]);
    this.setState({
      loading: false,
      error: !list.ok ? list.error : !visits.ok ? visits.error : null,
      ...(list.ok ? { problems: list.data.items, problemsCursor: list.data.nextCursor, counts: list.data.counts } : {}),
      ...(visits.ok ? { visits: visits.data.items, visitsCursor: visits.data.nextCursor } : {}),
    });
  }

  /** Appends the next page of problems (newest raised first). */
  async loadMoreProblems(): Promise<void> {
    const { problemsCursor: cursor, filter, loadingMoreProblems } = this.state;
    if (!cursor || loadingMoreProblems) return;
    this.setState({ loadingMoreProblems: true });
    const r = await this.api.problems(filter, { cursor });
    // The filter changed or the list was read again meanwhile: this page is stale.
    if (this.state.problemsCursor !== cursor) return this.setState({ loadingMoreProblems: false });
    if (!r.ok) return this.setState({ loadingMoreProblems: false, error: r.error });
    const known = new Set(this.state.problems.map((p) => p.id));
    this.setState({
      loadingMoreProblems: false,
      error: null,
      problems: [...this.state.problems, ...r.data.items.filter((p) => !known.has(p.id))],
      problemsCursor: r.data.nextCursor,
    });
  }

  /** Appends the next page of visits (newest visit day first). */
  async loadMoreVisits(): Promise<void> {
    const { visitsCursor: cursor, loadingMoreVisits } = this.state;
    if (!cursor || loadingMoreVisits) return;
    this.setState({ loadingMoreVisits: true });
    const r = await this.api.visits({ cursor });
    if (this.state.visitsCursor !== cursor) return this.setState({ loadingMoreVisits: false });
    if (!r.ok) return this.setState({ loadingMoreVisits: false, error: r.error });
    const known = new Set(this.state.visits.map((v) => v.id));
    this.setState({
      loadingMoreVisits: false,
      error: null,
      visits: [...this.state.visits, ...r.data.items.filter((v) => !known.has(v.id))],
      visitsCursor: r.data.nextCursor,
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
