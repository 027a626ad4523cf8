import { calculateObjectSize } from 'bson';
import type { Doc } from './bson-values';
import { MongoServerError } from './errors';

/**
 * mongod's document size limits: a user document may hold 16 MiB (BSONObjMaxUserSize); the
 * wire allows 16 KiB more for command overhead (BSONObjMaxInternalSize), and anything past
 * that is an invalid BSONObj (10334 BSONObjectTooLarge).
 */
const MAX_USER_BYTES = 16 * 1024 * 1024;
const MAX_INTERNAL_BYTES = MAX_USER_BYTES + 16 * 1024;

function tooLarge(size: number): MongoServerError {
  return new MongoServerError(
    10334,
    `BSONObj size: ${size} (0x${size.toString(16).toUpperCase()}) is invalid. Size must be between 0 and ${MAX_INTERNAL_BYTES}(16MB)`,
  );
}

export function checkInsertSize(doc: Doc): void {
  const size = calculateObjectSize(doc);
  if (size > MAX_INTERNAL_BYTES) throw tooLarge(size);
  if (size > MAX_USER_BYTES) {
    throw new MongoServerError(2, `object to insert too large. size in bytes: ${size}, max size: ${MAX_USER_BYTES}`);
  }
}

export function checkUpdatedSize(doc: Doc): void {
  const size = calculateObjectSize(doc);
  if (size > MAX_INTERNAL_BYTES) throw tooLarge(size);
  if (size > MAX_USER_BYTES) {
    throw new MongoServerError(17419, `Resulting document after update is larger than ${MAX_USER_BYTES}`);
  }
}
