import { createHash } from 'node:crypto';
import { Types } from 'mongoose';

/** Ids look like ObjectIds (24 hex) everywhere in the API. */
export const newId = (): string => new Types.ObjectId().toHexString();

/**
 * The same key always gives the same id. Orders use this so that a retried accept or take
 * collides with the first attempt on the `_id` unique index instead of creating a second order.
 */
export function deterministicId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 24);
}

export const isId = (value: string): boolean => /^[0-9a-f]{24}$/.test(value);
