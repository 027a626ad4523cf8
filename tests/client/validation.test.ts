import { creditCodeFeedback, newPasswordProblem, phoneProblem } from '../../client/src/state/validation';
import { aCreditCode } from './fake-api';

describe('credit code feedback while typing', () => {
  const valid = aCreditCode();

  it('accepts a valid code typed in lower case with spaces', () => {
    const typed = `${valid.slice(0, 6)} ${valid.slice(6)}`.toLowerCase();
    expect(creditCodeFeedback(typed, true)).toEqual({ state: 'ok' });
  });

  it('stays quiet while a correct prefix is being typed, but reports the length on leaving the field', () => {
    expect(creditCodeFeedback(valid.slice(0, 10), false)).toEqual({ state: 'typing' });
    expect(creditCodeFeedback(valid.slice(0, 10), true)).toEqual({
      state: 'error',
      message: { key: 'validation.creditCodeLength', params: { n: 10 } },
    });
  });

  it('points at the check character when one character is mistyped', () => {
    const wrongLast = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
    expect(creditCodeFeedback(wrongLast, false)).toEqual({
      state: 'error',
      message: { key: 'validation.creditCodeCheck' },
    });
  });

  it('reports letters that never appear in credit codes (I, O, Z, S, V) at once', () => {
    expect(creditCodeFeedback('91O', false)).toEqual({
      state: 'error',
      message: { key: 'validation.creditCodeChars' },
    });
  });
});

describe('password and phone checks mirror the server policy', () => {
  it('refuses short, common and login-equal passwords with translated messages', () => {
    expect(newPasswordProblem('short1')).toEqual({ key: 'validation.passwordShort', params: { min: 10, n: 6 } });
    expect(newPasswordProblem('1234567890')).toEqual({ key: 'validation.passwordCommon' });
    expect(newPasswordProblem('13800138000', ['13800138000'])).toEqual({ key: 'validation.passwordLogin' });
    expect(newPasswordProblem('春天的韭菜长得真快呀')).toBeNull();
  });

  it('accepts mainland mobiles with spaces, refuses landlines', () => {
    expect(phoneProblem('138 0013 8000')).toBeNull();
    expect(phoneProblem('0791-8888888')).toEqual({ key: 'validation.phone' });
  });
});
