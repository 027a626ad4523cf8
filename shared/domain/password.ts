import { COMMON_PASSWORDS } from './common-passwords';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

const common = new Set(COMMON_PASSWORDS);

export type PasswordProblem = 'TOO_SHORT' | 'TOO_LONG' | 'TOO_COMMON' | 'SAME_AS_LOGIN';

/** Length counts code points, so a 10-character Chinese passphrase is accepted. */
export function passwordProblem(password: string, logins: readonly string[] = []): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'TOO_SHORT';
  if (length > PASSWORD_MAX_LENGTH) return 'TOO_LONG';
  const lower = password.toLowerCase();
  if (common.has(lower)) return 'TOO_COMMON';
  if (logins.some((l) => l && l.toLowerCase() === lower)) return 'SAME_AS_LOGIN';
  return null;
}

export const passwordProblemMessages: Record<PasswordProblem, string> = {
  TOO_SHORT: `Password must be at least ${PASSWORD_MIN_LENGTH} characters`,
  TOO_LONG: `Password must be at most ${PASSWORD_MAX_LENGTH} characters`,
  TOO_COMMON: 'Password is too common; choose another',
  SAME_AS_LOGIN: 'Password must not be your phone number or email',
};
