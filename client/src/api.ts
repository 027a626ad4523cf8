/**
 * Typed fetch for the accounts API (docs/api-accounts.md). Same-origin cookies carry the
 * session; the browser adds the Origin header the server's CSRF check wants on POSTs.
 */
import type {
  AddMemberRequest,
  AddMemberResponse,
  AdminMembersResponse,
  AuditResponse,
  ChangePasswordRequest,
  CreateTokenRequest,
  CreateTokenResponse,
  ListOrganisationsQuery,
  LoginRequest,
  LoginResponse,
  MeResponse,
  OneTimePasswordResponse,
  MemberPage,
  MemberResponse,
  OrganisationResponse,
  OrganisationsResponse,
  SignupRequest,
  SignupResponse,
  TokenPage,
  UpdateMemberRequest,
  VerificationAction,
} from '../../shared/schemas/accounts';
import { failureFromBody, type ApiResult } from './state/api-result';
import type { PageQuery } from './state/pages';

/** `?limit=…&cursor=…` for a paged list, or nothing. */
function pageQuery({ limit, cursor }: PageQuery): string {
  const params = new URLSearchParams();
  if (limit !== undefined) params.set('limit', String(limit));
  if (cursor !== undefined) params.set('cursor', cursor);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface AccountsApi {
  me(): Promise<ApiResult<MeResponse>>;
  signUp(body: SignupRequest): Promise<ApiResult<SignupResponse>>;
  signIn(body: LoginRequest): Promise<ApiResult<LoginResponse>>;
  signOut(): Promise<ApiResult<unknown>>;
  changePassword(body: ChangePasswordRequest): Promise<ApiResult<unknown>>;
  /** The organisation's people in the order they joined, a page at a time. */
  members(query?: PageQuery): Promise<ApiResult<MemberPage>>;
  addMember(body: AddMemberRequest): Promise<ApiResult<AddMemberResponse>>;
  updateMember(userId: string, body: UpdateMemberRequest): Promise<ApiResult<MemberResponse>>;
  removeMember(userId: string): Promise<ApiResult<unknown>>;
  /** The person's tokens, newest first, a page at a time. */
  tokens(query?: PageQuery): Promise<ApiResult<TokenPage>>;
  createToken(body: CreateTokenRequest): Promise<ApiResult<CreateTokenResponse>>;
  revokeToken(tokenId: string): Promise<ApiResult<unknown>>;
  organisations(query: ListOrganisationsQuery): Promise<ApiResult<OrganisationsResponse>>;
  decide(organisationId: string, action: VerificationAction, reason?: string): Promise<ApiResult<OrganisationResponse>>;
  audit(organisationId: string): Promise<ApiResult<AuditResponse>>;
  organisationMembers(organisationId: string): Promise<ApiResult<AdminMembersResponse>>;
  resetPassword(userId: string): Promise<ApiResult<OneTimePasswordResponse>>;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export async function request<T>(
  fetchImpl: FetchLike,
  method: Method,
  path: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetchImpl(path, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, error: { status: 0, code: 'NETWORK', message: '', fields: {} } };
  }
  let parsed: unknown = null;
  const text = await response.text().catch(() => '');
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null; // not JSON (a proxy's error page): reported by status below
    }
  }
  if (!response.ok) {
    const error = failureFromBody(response.status, parsed);
    const retryAfter = Number(response.headers.get('retry-after'));
    if (Number.isFinite(retryAfter) && retryAfter > 0) error.retryAfterSeconds = retryAfter;
    return { ok: false, error };
  }
  return { ok: true, data: parsed as T };
}

const enc = encodeURIComponent;

export function createAccountsApi(fetchImpl: FetchLike = (input, init) => fetch(input, init)): AccountsApi {
  const call = <T>(method: Method, path: string, body?: unknown) => request<T>(fetchImpl, method, path, body);
  return {
    me: () => call('GET', '/api/me'),
    signUp: (body) => call('POST', '/api/auth/signup', body),
    signIn: (body) => call('POST', '/api/auth/login', body),
    signOut: () => call('POST', '/api/auth/logout', {}),
    changePassword: (body) => call('POST', '/api/auth/change-password', body),
    members: (query = {}) => call('GET', `/api/organisation/members${pageQuery(query)}`),
    addMember: (body) => call('POST', '/api/organisation/members', body),
    updateMember: (userId, body) => call('PATCH', `/api/organisation/members/${enc(userId)}`, body),
    removeMember: (userId) => call('DELETE', `/api/organisation/members/${enc(userId)}`),
    tokens: (query = {}) => call('GET', `/api/tokens${pageQuery(query)}`),
    createToken: (body) => call('POST', '/api/tokens', body),
    revokeToken: (tokenId) => call('DELETE', `/api/tokens/${enc(tokenId)}`),
    organisations: (query) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
      const qs = params.toString();
      return call('GET', `/api/admin/organisations${qs ? `?${qs}` : ''}`);
    },
    decide: (organisationId, action, reason) =>
      call(
        'POST',
        `/api/admin/organisations/${enc(organisationId)}/${action}`,
        action === 'reject' || action === 'suspend' ? { reason } : reason ? { note: reason } : {},
      ),
    // An organisation's decisions and people are few: the first page at the largest size.
    audit: (organisationId) => call('GET', `/api/admin/organisations/${enc(organisationId)}/audit?limit=200`),
    organisationMembers: (organisationId) =>
      call('GET', `/api/admin/organisations/${enc(organisationId)}/members?limit=200`),
    resetPassword: (userId) => call('POST', `/api/admin/users/${enc(userId)}/reset-password`, {}),
  };
}
