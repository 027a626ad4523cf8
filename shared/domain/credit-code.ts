/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a
 * 31-character alphabet (digits and capitals without I, O, Z, S, V); the 18th is a check
 * character computed from the first 17 with weights 3^(i) mod 31.
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** The check character for the first 17 characters, or null if they use a character outside the alphabet. */
export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17[i]);
    if (value < 0) return null;
    sum += value * WEIGHTS[i];
  }
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_ALPHABET[check];
}

export type CreditCodeCheck = { ok: true; code: string } | { ok: false; reason: 'SHAPE' | 'CHECK_CHARACTER' };

/** Normalises (trim, upper case) and checks a code. */
export function checkCreditCode(input: string): CreditCodeCheck {
  const code = input.trim().toUpperCase();
  if (!SHAPE.test(code)) return { ok: false, reason: 'SHAPE' };
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return { ok: false, reason: 'CHECK_CHARACTER' };
  return { ok: true, code };
}

export function isValidCreditCode(input: string): boolean {
  return checkCreditCode(input).ok;
}
