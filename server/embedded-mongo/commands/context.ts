import type { Storage, StorageOp } from '../storage/types';
import type { Catalog } from '../engine/catalog';
import { isPlainObject, toNumber, typeClass, type Doc, type Value } from '../engine/bson-values';
import { MongoServerError } from '../engine/errors';
import type { CursorRegistry } from '../cursors';

/** What a command handler gets: the engine, the connection, and a list to append storage ops to. */
export interface ServerState {
  catalog: Catalog;
  storage: Storage;
  cursors: CursorRegistry;
  startedAt: Date;
  /** Logical sessions seen in `lsid`, by canonical id, for $listLocalSessions. */
  sessions: Map<string, Doc>;
  now: () => Date;
  /**
   * Set when a storage commit failed. Memory is then ahead of disk, so the server stops serving
   * (as mongod stops on a journal write failure): a restart reloads the last durable state.
   */
  storageFailure?: string;
}

export interface CommandContext {
  server: ServerState;
  db: string;
  connectionId: number;
  clientAddress: string;
  /** Durable changes made by this command; committed before the reply is sent. */
  ops: StorageOp[];
}

/**
 * Handlers are synchronous on purpose: a command reads and changes memory in one turn of the
 * event loop, which is what makes every command atomic. Durability is awaited afterwards.
 */
export type CommandHandler = (cmd: Doc, ctx: CommandContext) => Doc;

export function optionalNumber(cmd: Doc, field: string): number | undefined {
  const v = cmd[field];
  if (v === undefined || v === null) return undefined;
  if (typeClass(v) !== 'number') {
    throw new MongoServerError(
      14,
      `BSON field '${field}' is the wrong type '${typeClass(v)}', expected types '[long, int, decimal, double]'`,
    );
  }
  return toNumber(v);
}

export function optionalBool(cmd: Doc, field: string, fallback: boolean): boolean {
  const v = cmd[field];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'boolean') return v;
  return toNumber(v) !== 0;
}

export function optionalDoc(cmd: Doc, field: string): Doc | undefined {
  const v: Value = cmd[field];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) {
    throw new MongoServerError(14, `BSON field '${field}' is the wrong type '${typeClass(v)}', expected type 'object'`);
  }
  return v;
}

/** The collection name a command names in its first field (`{ find: 'users' }`). */
export function collectionName(cmd: Doc, command: string): string {
  const v = cmd[command];
  if (typeof v !== 'string' || v === '') {
    throw new MongoServerError(73, `collection name has invalid type ${typeClass(v)}`);
  }
  return v;
}
