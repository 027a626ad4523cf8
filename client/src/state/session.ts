import type { MeResponse, Organisation } from '../../../shared/schemas/accounts';
import type { OrganisationVerificationEvent, SessionEndedEvent } from '../../../shared/events';
import type { AccountsApi } from '../api';
import type { ApiResult } from './api-result';
import { Store } from './store';

type SessionStatus = 'loading' | 'anonymous' | 'signedIn';

export interface SessionState {
  status: SessionStatus;
  me: MeResponse | null;
  /** Set when the verification state changed while the page was open (live), for a notice. */
  verificationChangedLive: boolean;
  /** Why the server ended the session, to explain the sign-in page. */
  endedReason: SessionEndedEvent['reason'] | null;
}

/** Set when a sign-out could not reach the server (offline): the session cookie still works until it does. */
const SIGN_OUT_OWED = 'freshlink.signOutOwed';

interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Who is signed in, and their organisation as last seen (kept current by socket events). */
export class SessionStore extends Store<SessionState> {
  readonly #api: AccountsApi;
  readonly #storage: KeyValue | undefined;

  constructor(api: AccountsApi, storage?: KeyValue) {
    super({ status: 'loading', me: null, verificationChangedLive: false, endedReason: null });
    this.#api = api;
    this.#storage = storage;
  }

  #owed(value?: boolean): boolean {
    try {
      if (value !== undefined) this.#storage?.setItem(SIGN_OUT_OWED, value ? '1' : '');
      return this.#storage?.getItem(SIGN_OUT_OWED) === '1';
    } catch {
      return false;
    }
  }

  /**
   * A sign-out made offline is finished before anyone is taken as signed in: on a shared phone the next
   * person must not open the app as the last one. Returns false while it still cannot reach the server.
   */
  async #settleSignOut(): Promise<boolean> {
    if (!this.#owed()) return true;
    const r = await this.#api.signOut();
    if (!r.ok && r.error.status === 0) return false;
    this.#owed(false);
    return true;
  }

  get isChamber(): boolean {
    return this.state.me?.organisation.kind === 'chamber';
  }

  get isManager(): boolean {
    return this.state.me?.user.role === 'manager';
  }

  get mustChangePassword(): boolean {
    return Boolean(this.state.me?.user.mustChangePassword);
  }

  async load(): Promise<void> {
    if (!(await this.#settleSignOut())) {
      this.setState({ status: 'anonymous', me: null });
      return;
    }
    const result = await this.#api.me();
    if (result.ok) this.setState({ status: 'signedIn', me: result.data, verificationChangedLive: false });
    else this.setState({ status: 'anonymous', me: null });
  }

  /**
   * Re-reads /api/me after the socket (re)connects, so a decision made while it was
   * disconnected still reaches the banner.
   */
  async refresh(): Promise<void> {
    const before = this.state.me;
    if (!before) return;
    const result = await this.#api.me();
    if (!result.ok) {
      if (result.error.status === 401) this.setState({ status: 'anonymous', me: null });
      return;
    }
    const changed = result.data.organisation.verification !== before.organisation.verification;
    this.setState({ me: result.data, verificationChangedLive: this.state.verificationChangedLive || changed });
  }

  /** Sign-in answers only the user; /api/me follows for the organisation. */
  async afterSignIn(): Promise<ApiResult<MeResponse>> {
    this.#owed(false); // signing in replaced the old session
    const result = await this.#api.me();
    if (result.ok)
      this.setState({ status: 'signedIn', me: result.data, verificationChangedLive: false, endedReason: null });
    return result;
  }

  signedUp(me: MeResponse): void {
    this.setState({ status: 'signedIn', me, verificationChangedLive: false, endedReason: null });
  }

  async signOut(): Promise<void> {
    const r = await this.#api.signOut();
    if (!r.ok && r.error.status === 0) this.#owed(true); // offline: finished on the next load or sign-in
    this.setState({ status: 'anonymous', me: null, verificationChangedLive: false });
  }

  passwordChanged(): void {
    const me = this.state.me;
    if (me) this.setState({ me: { ...me, user: { ...me.user, mustChangePassword: false } } });
  }

  /**
   * The server closed the socket after `session:ended`. That may concern another session of
   * this user (a password changed here ends the others), so ask /api/me before signing out.
   * Returns whether this session is still signed in (then the socket should reconnect).
   */
  async recheck(reason: SessionEndedEvent['reason']): Promise<boolean> {
    const result = await this.#api.me();
    if (result.ok) {
      this.setState({ status: 'signedIn', me: result.data });
      return true;
    }
    if (result.error.status === 401) {
      this.ended(reason);
      return false;
    }
    return true; // network trouble: keep what we know; the socket retries
  }

  /** The server ended this session (signed out elsewhere, removed, password reset). */
  ended(reason: SessionEndedEvent['reason']): void {
    this.setState({ status: 'anonymous', me: null, endedReason: reason, verificationChangedLive: false });
  }

  /** `organisation:verification` from the socket: the banner changes without a reload. */
  applyVerification(event: OrganisationVerificationEvent): void {
    const me = this.state.me;
    if (!me || me.organisation.id !== event.organisationId) return;
    const organisation: Organisation = {
      ...me.organisation,
      verification: event.verification,
      verificationReason: event.reason,
      verificationDecidedAt: event.at,
    };
    this.setState({ me: { ...me, organisation }, verificationChangedLive: true });
  }

  replaceMe(me: MeResponse): void {
    this.setState({ me });
  }
}
