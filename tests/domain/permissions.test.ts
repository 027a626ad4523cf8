import {
  canManageMembers,
  canResetPasswordOf,
  canReviewOrganisations,
  canUseApiTokens,
  checkVerified,
  type Principal,
} from '../../shared/domain/permissions';
import { decideVerification } from '../../shared/domain/verification';
import { blockDelayMs, LOGIN_PER_ACCOUNT, retryAfterSeconds } from '../../shared/domain/throttle';
import { bearerToken, looksLikeApiToken } from '../../shared/domain/api-token';

const p = (over: Partial<Principal>): Principal => ({
  userId: 'u1',
  organisationId: 'o1',
  kind: 'farm',
  role: 'member',
  isAdmin: false,
  verification: 'verified',
  ...over,
});

describe('permissions', () => {
  it('only chamber staff review organisations', () => {
    expect(canReviewOrganisations(p({ kind: 'chamber' }))).toBe(true);
    expect(canReviewOrganisations(p({ kind: 'farm', role: 'manager' }))).toBe(false);
    expect(canReviewOrganisations(p({ kind: 'restaurant', isAdmin: true }))).toBe(false);
  });

  it('farm and restaurant managers manage colleagues; in the chamber only admins do', () => {
    expect(canManageMembers(p({ role: 'manager' }))).toBe(true);
    expect(canManageMembers(p({ role: 'member' }))).toBe(false);
    expect(canManageMembers(p({ kind: 'chamber', role: 'manager' }))).toBe(false);
    expect(canManageMembers(p({ kind: 'chamber', isAdmin: true }))).toBe(true);
  });

  it('chamber staff reset farm and restaurant users, admins also chamber users, nobody themselves', () => {
    const staff = p({ kind: 'chamber', userId: 's' });
    const admin = p({ kind: 'chamber', userId: 'a', isAdmin: true });
    expect(canResetPasswordOf(staff, { userId: 'f', organisationId: 'o2', kind: 'farm' })).toBe(true);
    expect(canResetPasswordOf(staff, { userId: 'c', organisationId: 'ch', kind: 'chamber' })).toBe(false);
    expect(canResetPasswordOf(admin, { userId: 'c', organisationId: 'ch', kind: 'chamber' })).toBe(true);
    expect(canResetPasswordOf(admin, { userId: 'a', organisationId: 'ch', kind: 'chamber' })).toBe(false);
    expect(canResetPasswordOf(p({ role: 'manager' }), { userId: 'x', organisationId: 'o1', kind: 'farm' })).toBe(false);
  });

  it('API tokens are for restaurants and the chamber', () => {
    expect(canUseApiTokens(p({ kind: 'restaurant' }))).toBe(true);
    expect(canUseApiTokens(p({ kind: 'chamber' }))).toBe(true);
    expect(canUseApiTokens(p({ kind: 'farm', role: 'manager' }))).toBe(false);
  });

  it('trading needs a verified organisation, with a reason per state', () => {
    expect(checkVerified({ verification: 'verified' })).toEqual({ ok: true });
    expect(checkVerified({ verification: 'pending' })).toEqual({ ok: false, reason: 'VERIFICATION_PENDING' });
    expect(checkVerified({ verification: 'rejected' })).toEqual({ ok: false, reason: 'VERIFICATION_REJECTED' });
    expect(checkVerified({ verification: 'suspended' })).toEqual({ ok: false, reason: 'ORGANISATION_SUSPENDED' });
  });
});

describe('verification state machine', () => {
  it.each([
    ['pending', 'verify', 'verified'],
    ['rejected', 'verify', 'verified'],
    ['pending', 'reject', 'rejected'],
    ['verified', 'suspend', 'suspended'],
    ['suspended', 'reinstate', 'verified'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(decideVerification(from, action)).toEqual({ ok: true, from, to });
  });

  it.each([
    ['verified', 'verify'],
    ['verified', 'reject'],
    ['pending', 'suspend'],
    ['pending', 'reinstate'],
    ['suspended', 'verify'],
    ['rejected', 'suspend'],
  ] as const)('refuses to %2$s an organisation that is %1$s', (from, action) => {
    expect(decideVerification(from, action)).toMatchObject({ ok: false, reason: 'INVALID_TRANSITION' });
  });
});

describe('throttle', () => {
  it('lets 5 failures through, then doubles the delay up to an hour', () => {
    expect([1, 4].map((n) => blockDelayMs(n, LOGIN_PER_ACCOUNT))).toEqual([0, 0]);
    expect(blockDelayMs(5, LOGIN_PER_ACCOUNT)).toBe(15_000);
    expect(blockDelayMs(6, LOGIN_PER_ACCOUNT)).toBe(30_000);
    expect(blockDelayMs(7, LOGIN_PER_ACCOUNT)).toBe(60_000);
    expect(blockDelayMs(100, LOGIN_PER_ACCOUNT)).toBe(3_600_000);
  });

  it('rounds the wait up to whole seconds', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(retryAfterSeconds(new Date(now.getTime() + 1500), now)).toBe(2);
    expect(retryAfterSeconds(new Date(now.getTime() - 1), now)).toBe(0);
    expect(retryAfterSeconds(undefined, now)).toBe(0);
  });
});

describe('API token format', () => {
  it('reads Bearer tokens and recognises their shape', () => {
    const secret = `fl_${'A'.repeat(43)}`;
    expect(bearerToken(`Bearer ${secret}`)).toBe(secret);
    expect(bearerToken(`bearer  ${secret} `)).toBe(secret);
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
    expect(looksLikeApiToken(secret)).toBe(true);
    expect(looksLikeApiToken('fl_short')).toBe(false);
  });
});
