// expectError: asserting on an error the driver raised.
import { MongoBulkWriteError, MongoClientBulkWriteError, MongoError, MongoServerError } from 'mongodb';
import { describe, isDocument, plainNumber, type Doc } from './bson-values';
import { matchValue, type MatchContext } from './matcher';
import { clientBulkWriteResult, writeResult } from './results';
import type { ExpectedError } from './types';

export type ErrorCheck = { ok: true } | { ok: false; message: string };

const OK: ErrorCheck = { ok: true };

/** Server errors reachable from one error: itself, a client bulk write's cause, bulk write errors. */
function aggregatedErrors(error: unknown): Doc[] {
  const out: Doc[] = [];
  if (typeof error !== 'object' || error === null) return out;
  const record = error as Doc;
  out.push(record);
  if (error instanceof Error && error.cause) out.push(...aggregatedErrors(error.cause));
  const writeErrors = record.writeErrors;
  const list = writeErrors instanceof Map ? [...writeErrors.values()] : Array.isArray(writeErrors) ? writeErrors : [];
  for (const writeError of list) {
    if (typeof writeError === 'object' && writeError !== null) {
      const inner = (writeError as Doc).err;
      out.push(isDocument(inner) ? inner : (writeError as Doc));
    }
  }
  const wce = record.writeConcernError ?? record.err;
  if (typeof wce === 'object' && wce !== null) out.push(wce as Doc);
  if (Array.isArray(record.writeConcernErrors)) out.push(...(record.writeConcernErrors as Doc[]));
  return out;
}

function messagesOf(error: unknown): string[] {
  return aggregatedErrors(error).flatMap((e) =>
    [e.message, e.errmsg].filter((m): m is string => typeof m === 'string'),
  );
}

function codesOf(error: unknown): number[] {
  return aggregatedErrors(error)
    .map((e) => plainNumber(e.code))
    .filter((c): c is number => typeof c === 'number');
}

/** Code names the CRUD tests use, for write errors that carry only a numeric code. */
const CODE_NUMBERS: Record<string, number> = {
  DuplicateKey: 11000,
  NamespaceNotFound: 26,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  InvalidOptions: 72,
  CommandNotFound: 59,
  UnknownReplWriteConcern: 79,
  WriteConcernFailed: 64,
  DocumentValidationFailure: 121,
  InvalidNamespace: 73,
};

function codeNameMatches(error: unknown, name: string): boolean {
  const errors = aggregatedErrors(error);
  if (errors.some((e) => typeof e.codeName === 'string' && e.codeName.toLowerCase() === name.toLowerCase()))
    return true;
  const number = CODE_NUMBERS[name];
  return number !== undefined && codesOf(error).includes(number);
}

function isClientError(error: unknown): boolean {
  return !(error instanceof MongoServerError);
}

function resultCarriedBy(error: unknown): unknown {
  if (error instanceof MongoClientBulkWriteError) return clientBulkWriteResult(error.partialResult);
  if (error instanceof MongoBulkWriteError) return writeResult(error.result);
  return undefined;
}

export function checkExpectedError(expected: ExpectedError, error: unknown, ctx: MatchContext): ErrorCheck {
  const summary = summarizeError(error);
  const failWith = (message: string): ErrorCheck => ({ ok: false, message: `${message}; error was ${summary}` });

  if (expected.isClientError !== undefined && isClientError(error) !== expected.isClientError) {
    return failWith(expected.isClientError ? 'expected a client-side error' : 'expected a server error');
  }
  if (expected.isTimeoutError === true) return failWith('isTimeoutError assertions are not supported');
  if (expected.errorContains !== undefined) {
    const needle = expected.errorContains.toLowerCase();
    if (!messagesOf(error).some((m) => m.toLowerCase().includes(needle))) {
      return failWith(`expected message containing "${expected.errorContains}"`);
    }
  }
  if (expected.errorCode !== undefined) {
    const code = plainNumber(expected.errorCode);
    if (!codesOf(error).includes(code as number)) return failWith(`expected error code ${String(code)}`);
  }
  if (expected.errorCodeName !== undefined && !codeNameMatches(error, expected.errorCodeName)) {
    return failWith(`expected codeName ${expected.errorCodeName}`);
  }
  for (const label of expected.errorLabelsContain ?? []) {
    if (!(error instanceof MongoError) || !error.hasErrorLabel(label)) return failWith(`expected label ${label}`);
  }
  for (const label of expected.errorLabelsOmit ?? []) {
    if (error instanceof MongoError && error.hasErrorLabel(label)) return failWith(`unexpected label ${label}`);
  }
  if (expected.errorResponse !== undefined) {
    const response = error instanceof MongoServerError ? error.errorResponse : undefined;
    const r = matchValue(expected.errorResponse, response, { root: true, context: ctx });
    if (!r.ok) return failWith(`errorResponse ${r.path}: ${r.message}`);
  }
  if (expected.expectResult !== undefined) {
    const r = matchValue(expected.expectResult, resultCarriedBy(error), { root: true, context: ctx });
    if (!r.ok) return failWith(`error result ${r.path}: ${r.message}`);
  }
  if (expected.writeErrors !== undefined) {
    const actual = error instanceof MongoClientBulkWriteError ? mapToDoc(error.writeErrors) : undefined;
    const r = matchWriteErrors(expected.writeErrors, actual, ctx);
    if (!r.ok) return failWith(r.message);
  }
  if (expected.writeConcernErrors !== undefined) {
    const actual = error instanceof MongoClientBulkWriteError ? error.writeConcernErrors : undefined;
    const r = matchValue(expected.writeConcernErrors, actual, { root: false, context: ctx });
    if (!r.ok) return failWith(`writeConcernErrors ${r.path}: ${r.message}`);
  }
  return OK;
}

function mapToDoc(map: ReadonlyMap<number, unknown>): Doc {
  const out: Doc = {};
  for (const [key, value] of map) out[String(key)] = value;
  return out;
}

function matchWriteErrors(expected: Doc, actual: Doc | undefined, ctx: MatchContext): ErrorCheck {
  if (!actual) return { ok: false, message: 'expected writeErrors on a client bulk write error' };
  const extra = Object.keys(actual).filter((k) => !(k in expected));
  if (extra.length > 0) return { ok: false, message: `unexpected writeErrors at indexes ${extra.join(', ')}` };
  for (const [index, writeError] of Object.entries(expected)) {
    const r = matchValue(writeError, actual[index], { root: true, context: ctx });
    if (!r.ok) return { ok: false, message: `writeErrors[${index}] ${r.path}: ${r.message}` };
  }
  return OK;
}

/** One line: class, code, codeName and message. */
export function summarizeError(error: unknown): string {
  if (!(error instanceof Error)) return describe(error);
  const record = error as unknown as Doc;
  const code = typeof record.code === 'number' ? ` code ${record.code}` : '';
  const codeName = typeof record.codeName === 'string' ? ` (${record.codeName})` : '';
  const cause = error.cause instanceof Error ? ` [cause: ${summarizeError(error.cause)}]` : '';
  const message = error.message.length > 200 ? `${error.message.slice(0, 199)}…` : error.message;
  return `${error.name}${code}${codeName}: ${message}${cause}`;
}
