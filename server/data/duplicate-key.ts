/**
 * MongoDB's duplicate-key error (code 11000), the one place the data layer recognises it. Repositories use
 * `isDuplicateKey` to retry or dedupe, and `rethrowDuplicate` to turn it into a DuplicateKeyError naming the
 * unique field, so services branch on a field name and never see a driver code.
 */
export const isDuplicateKey = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;

/** A unique index refused a write; `field` is the first key of that index ("phone", "creditCode" …). */
export class DuplicateKeyError extends Error {
  constructor(readonly field: string) {
    super(`duplicate key: ${field}`);
  }
}

/** Which unique field clashed, from the driver's keyPattern, keyValue or message. */
function duplicateField(err: object): string {
  const e = err as { keyPattern?: Record<string, unknown>; keyValue?: Record<string, unknown>; message?: string };
  const key = Object.keys(e.keyPattern ?? e.keyValue ?? {})[0];
  if (key) return key;
  const match = /index: (\w+?)_1/.exec(e.message ?? '');
  return match ? match[1] : 'unknown';
}

/** Runs a write; a duplicate-key error comes out as a DuplicateKeyError, anything else unchanged. */
export async function rethrowDuplicate<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isDuplicateKey(err)) throw new DuplicateKeyError(duplicateField(err as object));
    throw err;
  }
}
