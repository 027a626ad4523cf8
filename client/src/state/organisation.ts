import type { ApiToken, User } from '../../../shared/schemas/accounts';
import type { AccountsApi } from '../api';
import type { ApiFailure } from './api-result';
import { MAX_PAGE_LIMIT } from '../../../shared/domain/paging';
import { readPages } from './pages';
import { Store } from './store';

export interface OrganisationState {
  members: User[] | null;
  tokens: ApiToken[] | null;
  /** The secret of the token just created: shown once, gone on the next action. */
  newTokenSecret: { name: string; secret: string } | null;
  /** A colleague just added and their one-time password. */
  newMember: { displayName: string; oneTimePassword: string } | null;
  error: ApiFailure | null;
  busyId: string | null;
}

/** Colleagues and API tokens of the signed-in person's organisation. */
export class OrganisationStore extends Store<OrganisationState> {
  readonly #api: AccountsApi;

  constructor(api: AccountsApi) {
    super({ members: null, tokens: null, newTokenSecret: null, newMember: null, error: null, busyId: null });
    this.#api = api;
  }

  /** The colleagues, every page of them (an organisation's few people; bounded by `readPages`). */
  async loadMembers(): Promise<void> {
    const r = await readPages((cursor) => this.#api.members({ limit: MAX_PAGE_LIMIT, ...(cursor ? { cursor } : {}) }));
    if (r.ok) this.setState({ members: r.data.items });
    else this.setState({ error: r.error });
  }

  /** The person's own tokens, every page of them (a few; bounded by `readPages`). */
  async loadTokens(): Promise<void> {
    const r = await readPages((cursor) => this.#api.tokens({ limit: MAX_PAGE_LIMIT, ...(cursor ? { cursor } : {}) }));
    if (r.ok) this.setState({ tokens: r.data.items });
    else this.setState({ error: r.error });
  }

  memberAdded(user: User, oneTimePassword: string): void {
    const members = this.state.members ?? [];
    this.setState({
      members: members.some((m) => m.id === user.id) ? members : [...members, user],
      newMember: { displayName: user.displayName, oneTimePassword },
      newTokenSecret: null,
    });
  }

  async setRole(userId: string, role: User['role']): Promise<boolean> {
    this.setState({ busyId: userId, error: null, newMember: null, newTokenSecret: null });
    const r = await this.#api.updateMember(userId, { role });
    if (r.ok) {
      this.setState({
        busyId: null,
        members: (this.state.members ?? []).map((m) => (m.id === userId ? r.data.user : m)),
      });
      return true;
    }
    this.setState({ busyId: null, error: r.error });
    return false;
  }

  async removeMember(userId: string): Promise<boolean> {
    this.setState({ busyId: userId, error: null, newMember: null });
    const r = await this.#api.removeMember(userId);
    if (r.ok) {
      this.setState({ busyId: null, members: (this.state.members ?? []).filter((m) => m.id !== userId) });
      return true;
    }
    this.setState({ busyId: null, error: r.error });
    return false;
  }

  tokenCreated(token: ApiToken, secret: string): void {
    this.setState({
      tokens: [token, ...(this.state.tokens ?? [])],
      newTokenSecret: { name: token.name, secret },
      newMember: null,
    });
  }

  async revokeToken(tokenId: string): Promise<boolean> {
    this.setState({ busyId: tokenId, error: null, newTokenSecret: null });
    const r = await this.#api.revokeToken(tokenId);
    if (r.ok) {
      this.setState({ busyId: null, tokens: (this.state.tokens ?? []).filter((t) => t.id !== tokenId) });
      return true;
    }
    this.setState({ busyId: null, error: r.error });
    return false;
  }

  dismissSecrets(): void {
    this.setState({ newTokenSecret: null, newMember: null });
  }

  clear(): void {
    this.setState({ members: null, tokens: null, newTokenSecret: null, newMember: null, error: null, busyId: null });
  }
}
