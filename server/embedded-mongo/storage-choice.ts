import type { Storage } from './storage/types';
import { openStorage } from './storage/lmdb';

/** The durable storage behind the server: LMDB in `dbPath`. */
export function openStorageFor(dbPath: string): Promise<Storage> {
  return openStorage(dbPath);
}
