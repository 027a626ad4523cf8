import type { Doc } from './bson-values';

/** Error codes mongod uses, with their codeName, for the errors this server can raise. */
const CODE_NAMES: Record<number, string> = {
  1: 'InternalError',
  2: 'BadValue',
  9: 'FailedToParse',
  11: 'UserNotFound',
  13: 'Unauthorized',
  17: 'ProtocolError',
  14: 'TypeMismatch',
  20: 'IllegalOperation',
  26: 'NamespaceNotFound',
  27: 'IndexNotFound',
  40: 'ConflictingUpdateOperators',
  43: 'CursorNotFound',
  48: 'NamespaceExists',
  51: 'UnknownError',
  52: 'DollarPrefixedFieldName',
  54: 'NotSingleValueField',
  55: 'InvalidDBRef',
  56: 'EmptyFieldName',
  57: 'DottedFieldName',
  59: 'CommandNotFound',
  66: 'ImmutableField',
  67: 'CannotCreateIndex',
  68: 'IndexAlreadyExists',
  72: 'InvalidOptions',
  73: 'InvalidNamespace',
  85: 'IndexOptionsConflict',
  86: 'IndexKeySpecsConflict',
  115: 'CommandNotSupported',
  121: 'DocumentValidationFailure',
  2000: 'InvalidIndexSpecificationOption',
  11000: 'DuplicateKey',
  18: 'AuthenticationFailed',
  197: 'InvalidIndexSpecificationOption',
  40573: 'Location40573',
  31254: 'Location31254',
  28667: 'Location28667',
  17419: 'Location17419',
  4: 'NoSuchKey',
  168: 'InvalidPipelineOperator',
  292: 'QueryExceededMemoryLimitNoDiskUseAllowed',
};

/** A failure that becomes `{ ok: 0, errmsg, code, codeName }` (or a writeError) in the reply. */
export class MongoServerError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly extra: Doc;

  constructor(code: number, message: string, extra: Doc = {}) {
    super(message);
    this.code = code;
    this.codeName = CODE_NAMES[code] ?? `Location${code}`;
    this.extra = extra;
  }
}

export function badValue(message: string): MongoServerError {
  return new MongoServerError(2, message);
}

export function asServerError(e: unknown): MongoServerError {
  if (e instanceof MongoServerError) return e;
  const message = e instanceof Error ? e.message : String(e);
  // mingo raises plain errors for invalid queries/pipelines; mongod would say BadValue.
  return new MongoServerError(2, message);
}
