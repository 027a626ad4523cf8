import type { AccountsApi } from '../../client/src/api';
import type { ApiFailure, ApiResult } from '../../client/src/state/api-result';
import type { MeResponse, Organisation, User } from '../../shared/schemas/accounts';
import { creditCodeCheckChar } from '../../shared/domain/credit-code';

let seq = 0;
const hexId = () => (++seq).toString(16).padStart(24, '0');

/** A valid 18-character credit code, different each call. */
export function aCreditCode(): string {
  const first17 = `91360121MA35${(100000 + seq++).toString().slice(-5)}`;
  return first17 + creditCodeCheckChar(first17);
}

export function anOrganisation(overrides: Partial<Organisation> = {}): Organisation {
  return {
    id: hexId(),
    kind: 'farm',
    name: `绿源蔬菜合作社${seq}`,
    creditCode: aCreditCode(),
    contactPhone: '13800138000',
    address: { province: '江西省', city: '南昌市', county: '进贤县', township: '李渡镇' },
    verification: 'pending',
    createdAt: '2026-11-26T08:00:00.000Z',
    ...overrides,
  };
}

export function aUser(overrides: Partial<User> = {}): User {
  return {
    id: hexId(),
    organisationId: hexId(),
    role: 'manager',
    isAdmin: false,
    displayName: '李明',
    phone: '13800138000',
    locale: 'zh-CN',
    mustChangePassword: false,
    createdAt: '2026-11-26T08:00:00.000Z',
    ...overrides,
  };
}

export function aMe(org: Partial<Organisation> = {}, user: Partial<User> = {}): MeResponse {
  const organisation = anOrganisation(org);
  return { organisation, user: aUser({ organisationId: organisation.id, ...user }) };
}

export const failure = (
  status: number,
  code: string,
  fields: Record<string, string> = {},
  message = 'server says no',
): ApiResult<never> => ({
  ok: false,
  error: { status, code, message, fields } satisfies ApiFailure,
});

const unexpected = (name: string) => () => Promise.reject(new Error(`unexpected call: ${name}`));

/** Every method rejects unless the test provides it: a test states exactly what the server does. */
export function fakeApi(overrides: Partial<AccountsApi> = {}): AccountsApi {
  return {
    me: unexpected('me'),
    signUp: unexpected('signUp'),
    signIn: unexpected('signIn'),
    signOut: unexpected('signOut'),
    changePassword: unexpected('changePassword'),
    members: unexpected('members'),
    addMember: unexpected('addMember'),
    updateMember: unexpected('updateMember'),
    removeMember: unexpected('removeMember'),
    tokens: unexpected('tokens'),
    createToken: unexpected('createToken'),
    revokeToken: unexpected('revokeToken'),
    organisations: unexpected('organisations'),
    decide: unexpected('decide'),
    audit: unexpected('audit'),
    organisationMembers: unexpected('organisationMembers'),
    resetPassword: unexpected('resetPassword'),
    ...overrides,
  };
}
