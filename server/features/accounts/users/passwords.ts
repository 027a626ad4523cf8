import { createHash, randomInt } from 'node:crypto';
import bcrypt from 'bcryptjs';

export const BCRYPT_COST = 11;

/**
 * bcrypt reads at most 72 bytes, and a 25-character Chinese passphrase is 75: hash the SHA-256
 * (base64, 44 bytes, no NUL) of the password instead so every character counts.
 */
const prehash = (password: string) => createHash('sha256').update(password, 'utf8').digest('base64');

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** Spends as long as a real check, for sign-ins to unknown accounts (no timing oracle). */
  verifyNothing(password: string): Promise<false>;
}

export function createPasswordHasher(cost = BCRYPT_COST): PasswordHasher {
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => bcrypt.hash(prehash(password), cost),
    verify: (password, hash) => bcrypt.compare(prehash(password), hash),
    async verifyNothing(password) {
      dummy ??= bcrypt.hash(prehash('no such account, no such password'), cost);
      await bcrypt.compare(prehash(password), await dummy);
      return false;
    },
  };
}

const OTP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A one-time password that is easy to read out over the phone: xxxx-xxxx-xxxx (about 59 bits). */
export function generateOneTimePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 3; g += 1) {
    let group = '';
    for (let i = 0; i < 4; i += 1) group += OTP_ALPHABET[randomInt(OTP_ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}
