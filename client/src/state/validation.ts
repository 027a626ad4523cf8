/**
 * Client-side checks that mirror the server's (shared/domain), so a farmer sees a problem
 * while typing instead of after a round trip. The server still decides.
 */
import { CREDIT_CODE_ALPHABET, checkCreditCode } from '../../../shared/domain/credit-code';
import { PASSWORD_MIN_LENGTH, passwordProblem } from '../../../shared/domain/password';
import { msg, type Message } from './message';

export { PASSWORD_MIN_LENGTH };

/** Credit codes are printed in capitals; people type them in any case, often with spaces. */
export function normaliseCreditCode(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

export type CreditCodeFeedback =
  { state: 'empty' } | { state: 'typing' } | { state: 'ok' } | { state: 'error'; message: Message };

/**
 * Inline feedback for the credit code field. While fewer than 18 characters are typed only
 * wrong characters are reported; `final` (on blur or submit) also reports the length.
 */
export function creditCodeFeedback(input: string, final: boolean): CreditCodeFeedback {
  const code = normaliseCreditCode(input);
  if (!code) return final ? { state: 'error', message: msg('validation.required') } : { state: 'empty' };
  if ([...code].some((c) => !CREDIT_CODE_ALPHABET.includes(c))) {
    return { state: 'error', message: msg('validation.creditCodeChars') };
  }
  if (code.length !== 18) {
    return code.length > 18 || final
      ? { state: 'error', message: msg('validation.creditCodeLength', { n: code.length }) }
      : { state: 'typing' };
  }
  const check = checkCreditCode(code);
  if (!check.ok) return { state: 'error', message: msg('validation.creditCodeCheck') };
  return { state: 'ok' };
}

const MOBILE_PATTERN = /^1[3-9]\d{9}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalisePhone(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export function phoneProblem(input: string): Message | null {
  const phone = normalisePhone(input);
  return phone && !MOBILE_PATTERN.test(phone) ? msg('validation.phone') : null;
}

export function emailProblem(input: string): Message | null {
  const email = input.trim();
  return email && !EMAIL_PATTERN.test(email) ? msg('validation.email') : null;
}

export function newPasswordProblem(password: string, logins: readonly string[] = []): Message | null {
  if (!password) return msg('validation.required');
  switch (passwordProblem(password, logins)) {
    case null:
      return null;
    case 'TOO_SHORT':
      return msg('validation.passwordShort', { min: PASSWORD_MIN_LENGTH, n: [...password].length });
    case 'TOO_LONG':
      return msg('validation.passwordLong');
    case 'TOO_COMMON':
      return msg('validation.passwordCommon');
    case 'SAME_AS_LOGIN':
      return msg('validation.passwordLogin');
  }
}

export function required(value: string): Message | null {
  return value.trim() ? null : msg('validation.required');
}
