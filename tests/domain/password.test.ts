import { passwordProblem } from '../../shared/domain/password';
import { COMMON_PASSWORDS } from '../../shared/domain/common-passwords';

describe('password policy', () => {
  it('refuses fewer than 10 characters', () => {
    expect(passwordProblem('Zq8#xLm2!')).toBe('TOO_SHORT');
    expect(passwordProblem('Zq8#xLm2!p')).toBeNull();
  });

  it('counts characters, not bytes, so a Chinese passphrase of 10 characters is fine', () => {
    expect(passwordProblem('梅岭山上的茶叶很好喝啊')).toBeNull();
    expect(passwordProblem('茶叶很好喝')).toBe('TOO_SHORT');
  });

  it('refuses common passwords whatever their case', () => {
    expect(passwordProblem('password123')).toBe('TOO_COMMON');
    expect(passwordProblem('PassWord123')).toBe('TOO_COMMON');
    expect(passwordProblem('1234567890')).toBe('TOO_COMMON');
    expect(passwordProblem('woaini1314520')).toBe('TOO_COMMON');
    expect(passwordProblem('QWERTYUIOP')).toBe('TOO_COMMON');
  });

  it('ships several hundred to a few thousand lower-case entries', () => {
    expect(COMMON_PASSWORDS.length).toBeGreaterThan(500);
    expect(COMMON_PASSWORDS.length).toBeLessThan(3000);
    expect(COMMON_PASSWORDS.every((p) => p === p.toLowerCase())).toBe(true);
  });

  it('refuses the login itself as password', () => {
    expect(passwordProblem('13912345678', ['13912345678'])).toBe('SAME_AS_LOGIN');
    expect(passwordProblem('Li.Ming@Example.com', ['li.ming@example.com'])).toBe('SAME_AS_LOGIN');
  });

  it('refuses absurdly long passwords', () => {
    expect(passwordProblem('x'.repeat(201))).toBe('TOO_LONG');
  });
});
