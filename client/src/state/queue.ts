import type {
  AuditEntry,
  Organisation,
  User,
  VerificationAction,
  VerificationState,
} from '../../../shared/schemas/accounts';
import type { ChamberQueueEvent } from '../../../shared/events';
import type { AccountsApi } from '../api';
import type { ApiFailure } from './api-result';
import { Store } from './store';

export type QueueFilter = VerificationState | 'all';

/** Which decisions make sense from which state (the server enforces the same). */
export const ACTIONS_FROM: Record<VerificationState, readonly VerificationAction[]> = {
  pending: ['verify', 'reject'],
  verified: ['suspend'],
  rejected: ['verify'],
  suspended: ['reinstate'],
};

export const needsReason = (action: VerificationAction): boolean => action === 'reject' || action === 'suspend';

export interface QueueState {
  filter: QueueFilter;
  /** Name or credit code contains this (case-insensitive, server side). */
  query: string;
  organisations: Organisation[] | null;
  /** Where the next page of organisations starts (the server reads newest first); null after the last. */
  cursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: ApiFailure | null;
  /** A decision being prepared (reason entry) or sent. */
  draft: {
    organisationId: string;
    action: VerificationAction;
    reason: string;
    sending: boolean;
    error: ApiFailure | null;
  } | null;
  /** The last decision made, for a status line. */
  done: { name: string; action: VerificationAction } | null;
  audit: { organisationId: string; entries: AuditEntry[] | null; error: ApiFailure | null } | null;
  /** The people of one organisation, for a password reset when a farmer forgot theirs. */
  members: {
    organisationId: string;
    users: User[] | null;
    error: ApiFailure | null;
    busyUserId: string | null;
    /** Shown once: the broker reads it to the person on the phone. */
    reset: { displayName: string; oneTimePassword: string } | null;
  } | null;
}

/** The chamber's verification queue: list by state, decide, read the audit trail. */
export class QueueStore extends Store<QueueState> {
  readonly #api: AccountsApi;
  #loadSeq = 0;

  constructor(api: AccountsApi) {
    super({
      filter: 'pending',
      query: '',
      organisations: null,
      cursor: null,
      loading: false,
      loadingMore: false,
      error: null,
      draft: null,
      done: null,
      audit: null,
      members: null,
    });
    this.#api = api;
  }

  async load(filter: QueueFilter = this.state.filter, query: string = this.state.query): Promise<void> {
    const seq = ++this.#loadSeq;
    const changed = filter !== this.state.filter || query !== this.state.query;
    // A new view of the queue: yesterday's "verified X" line no longer belongs to it.
    this.setState({ filter, query, loading: true, error: null, ...(changed ? { done: null } : {}) });
    const q = query.trim() || undefined;
    const r = await this.#api.organisations(
      filter === 'all' ? { q, limit: 200 } : { verification: filter, q, limit: 200 },
    );
    if (seq !== this.#loadSeq) return; // a newer load superseded this one
    if (r.ok) {
      // Oldest first: whoever waited longest is checked first.
      const organisations = [...r.data.items].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      this.setState({ organisations, cursor: r.data.nextCursor, loading: false });
    } else this.setState({ loading: false, error: r.error });
  }

  /** Reads the next (older) page of the same filter and search, and keeps the list oldest first. */
  async loadMore(): Promise<void> {
    const { filter, query, cursor, loadingMore } = this.state;
    if (!cursor || loadingMore) return;
    const seq = this.#loadSeq;
    this.setState({ loadingMore: true });
    const q = query.trim() || undefined;
    const r = await this.#api.organisations(
      filter === 'all' ? { q, limit: 200, cursor } : { verification: filter, q, limit: 200, cursor },
    );
    if (seq !== this.#loadSeq) return this.setState({ loadingMore: false }); // the list was read again meanwhile
    if (!r.ok) return this.setState({ loadingMore: false, error: r.error });
    const known = new Set((this.state.organisations ?? []).map((o) => o.id));
    const organisations = [...(this.state.organisations ?? []), ...r.data.items.filter((o) => !known.has(o.id))].sort(
      (a, b) => a.createdAt.localeCompare(b.createdAt),
    );
    this.setState({ organisations, cursor: r.data.nextCursor, loadingMore: false });
  }

  startDecision(organisationId: string, action: VerificationAction): void {
    this.setState({ draft: { organisationId, action, reason: '', sending: false, error: null }, done: null });
  }

  setReason(reason: string): void {
    if (this.state.draft) this.setState({ draft: { ...this.state.draft, reason, error: null } });
  }

  cancelDecision(): void {
    this.setState({ draft: null });
  }

  /** Sends the drafted decision; reject and suspend need a reason. */
  async confirmDecision(): Promise<boolean> {
    const draft = this.state.draft;
    if (!draft || draft.sending) return false;
    const reason = draft.reason.trim();
    if (needsReason(draft.action) && !reason) {
      this.setState({
        draft: { ...draft, error: { status: 0, code: 'VALIDATION', message: '', fields: { reason: '' } } },
      });
      return false;
    }
    this.setState({ draft: { ...draft, sending: true, error: null } });
    const r = await this.#api.decide(draft.organisationId, draft.action, reason || undefined);
    if (!r.ok) {
      this.setState({ draft: { ...draft, sending: false, error: r.error } });
      return false;
    }
    this.#replace(r.data.organisation);
    this.setState({ draft: null, done: { name: r.data.organisation.name, action: draft.action } });
    if (this.state.audit?.organisationId === draft.organisationId) void this.showAudit(draft.organisationId);
    return true;
  }

  async showAudit(organisationId: string): Promise<void> {
    this.setState({ audit: { organisationId, entries: null, error: null } });
    const r = await this.#api.audit(organisationId);
    if (this.state.audit?.organisationId !== organisationId) return;
    if (r.ok) {
      const entries = [...r.data.items].sort((a, b) => b.at.localeCompare(a.at));
      this.setState({ audit: { organisationId, entries, error: null } });
    } else this.setState({ audit: { organisationId, entries: null, error: r.error } });
  }

  hideAudit(): void {
    this.setState({ audit: null });
  }

  async showMembers(organisationId: string): Promise<void> {
    this.setState({ members: { organisationId, users: null, error: null, busyUserId: null, reset: null } });
    const r = await this.#api.organisationMembers(organisationId);
    const current = this.state.members;
    if (current?.organisationId !== organisationId) return;
    this.setState({ members: r.ok ? { ...current, users: r.data.items } : { ...current, error: r.error } });
  }

  hideMembers(): void {
    this.setState({ members: null });
  }

  async resetPassword(userId: string): Promise<boolean> {
    const current = this.state.members;
    const user = current?.users?.find((u) => u.id === userId);
    if (!current || !user) return false;
    this.setState({ members: { ...current, busyUserId: userId, error: null, reset: null } });
    const r = await this.#api.resetPassword(userId);
    const after = this.state.members;
    if (after?.organisationId !== current.organisationId) return r.ok;
    this.setState({
      members: r.ok
        ? {
            ...after,
            busyUserId: null,
            reset: { displayName: user.displayName, oneTimePassword: r.data.oneTimePassword },
          }
        : { ...after, busyUserId: null, error: r.error },
    });
    return r.ok;
  }

  /**
   * `chamber:queue` from the socket (a sign-up, or another broker's decision): reload so the
   * table matches the server. A decision in flight still lands on its row when it returns.
   */
  applyQueueEvent(_event: ChamberQueueEvent): void {
    if (this.state.organisations === null) return; // the queue was never opened
    void this.load();
  }

  #replace(updated: Organisation): void {
    // The decided row stays (with its new state) until the next load, so the broker sees the effect.
    const organisations = (this.state.organisations ?? []).map((o) => (o.id === updated.id ? updated : o));
    this.setState({ organisations });
  }
}
