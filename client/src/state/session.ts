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

/** Who is signed in, and their organisation as last seen (kept current by socket events). */
export class SessionStore extends Store<SessionState> {
  readonly #api: AccountsApi;

  constructor(api: AccountsApi) {
    super({ status: 'loading', me: null, verificationChangedLive: false, endedReason: null });
    this.#api = api;
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
    const result = await this.#api.me();
    if (result.ok)
      this.setState({ status: 'signedIn', me: result.data, verificationChangedLive: false, endedReason: null });
    return result;
  }

  signedUp(me: MeResponse): void {
    this.setState({ status: 'signedIn', me, verificationChangedLive: false, endedReason: null });
  }

  async signOut(): Promise<void> {
    await this.#api.signOut();
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
