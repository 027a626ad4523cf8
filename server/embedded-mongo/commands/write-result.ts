import type { Doc } from '../engine/bson-values';
import { asServerError } from '../engine/errors';

/** Collects per-statement outcomes into mongod's write reply `{ n, writeErrors, … }`. */
export class WriteErrors {
  readonly errors: Doc[] = [];

  add(index: number, e: unknown): void {
    const err = asServerError(e);
    this.errors.push({ index, code: err.code, codeName: err.codeName, errmsg: err.message, ...err.extra });
  }

  get any(): boolean {
    return this.errors.length > 0;
  }

  into(reply: Doc): Doc {
    if (this.any) reply.writeErrors = this.errors;
    return reply;
  }
}

export function docsArray(cmd: Doc, field: string): Doc[] {
  const v = cmd[field];
  if (!Array.isArray(v)) return [];
  return v as Doc[];
}
