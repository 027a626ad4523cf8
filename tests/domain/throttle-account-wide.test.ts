import { accountWideDelayMs, ACCOUNT_WIDE_MAX_DELAY_MS, LOGIN_PER_ACCOUNT } from '../../shared/domain/throttle';

describe('account-wide sign-in delay', () => {
  it('costs nothing for the first free failures, then doubles from 250 ms, and never exceeds the cap (never a refusal)', () => {
    const free = LOGIN_PER_ACCOUNT.freeFailures;
    expect(accountWideDelayMs(free - 1, LOGIN_PER_ACCOUNT)).toBe(0);
    expect(accountWideDelayMs(free, LOGIN_PER_ACCOUNT)).toBe(250);
    expect(accountWideDelayMs(free + 1, LOGIN_PER_ACCOUNT)).toBe(500);
    expect(accountWideDelayMs(free + 100, LOGIN_PER_ACCOUNT)).toBe(ACCOUNT_WIDE_MAX_DELAY_MS);
  });
});
