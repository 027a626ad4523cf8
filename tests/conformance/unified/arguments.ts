// Turning the test format's argument objects into what the Node driver accepts.
import {
  ReadPreference,
  type ReadConcernLike,
  type ReadPreferenceMode,
  type ServerApi,
  type TagSet,
  type WriteConcernSettings,
} from 'mongodb';
import { isDocument, plainNumber, type Doc } from './bson-values';

function toReadPreference(value: unknown): ReadPreference {
  if (!isDocument(value) || typeof value.mode !== 'string') throw new Error('readPreference needs a mode');
  const mode = (value.mode.charAt(0).toLowerCase() + value.mode.slice(1)) as ReadPreferenceMode;
  const tags = Array.isArray(value.tagSets) ? (value.tagSets as TagSet[]) : undefined;
  const options: { maxStalenessSeconds?: number } = {};
  const maxStalenessSeconds = plainNumber(value.maxStalenessSeconds);
  if (typeof maxStalenessSeconds === 'number') options.maxStalenessSeconds = maxStalenessSeconds;
  return new ReadPreference(mode, tags, options);
}

function toReadConcern(value: unknown): ReadConcernLike {
  if (!isDocument(value) || typeof value.level !== 'string') throw new Error('readConcern needs a level');
  return { level: value.level } as ReadConcernLike;
}

export function toWriteConcern(value: unknown): WriteConcernSettings {
  if (!isDocument(value)) throw new Error('writeConcern must be a document');
  const out: WriteConcernSettings = {};
  const w = plainNumber(value.w);
  const wtimeoutMS = plainNumber(value.wtimeoutMS);
  if (typeof w === 'number' || typeof w === 'string') out.w = w as WriteConcernSettings['w'];
  if (typeof value.journal === 'boolean') out.journal = value.journal;
  if (typeof wtimeoutMS === 'number') out.wtimeoutMS = wtimeoutMS;
  return out;
}

/** readConcern / writeConcern / readPreference of database and collection entities. */
export function collectionOrDatabaseOptions(options: Doc | undefined): Doc {
  const out: Doc = {};
  if (!options) return out;
  if (options.readConcern !== undefined) out.readConcern = toReadConcern(options.readConcern);
  if (options.writeConcern !== undefined) out.writeConcern = toWriteConcern(options.writeConcern);
  if (options.readPreference !== undefined) out.readPreference = toReadPreference(options.readPreference);
  if (options.timeoutMS !== undefined) out.timeoutMS = plainNumber(options.timeoutMS);
  return out;
}

/** A client entity's `serverApi: { version, strict?, deprecationErrors? }`. */
export function toServerApi(value: unknown): ServerApi {
  if (!isDocument(value) || typeof value.version !== 'string') throw new Error('serverApi needs a version');
  const out: ServerApi = { version: value.version as ServerApi['version'] };
  if (typeof value.strict === 'boolean') out.strict = value.strict;
  if (typeof value.deprecationErrors === 'boolean') out.deprecationErrors = value.deprecationErrors;
  return out;
}

/** URI options that cannot change what the tests measure against a local single server. */
const UNSAFE_URI_OPTION = /^(auth|tls|ssl|loadBalanced|replicaSet|directConnection|srv)/i;

export function clientOptionsFromUri(uriOptions: Doc | undefined): Doc {
  const out: Doc = {};
  for (const [key, value] of Object.entries(uriOptions ?? {})) {
    if (UNSAFE_URI_OPTION.test(key)) continue;
    if (isDocument(value) && '$$placeholder' in value) continue;
    out[key] = plainNumber(value);
  }
  return out;
}

export type SessionResolver = (name: string) => unknown;

/**
 * The options half of an operation's arguments: `session` becomes the session entity,
 * concerns become driver objects, `returnDocument` is lower-cased; everything else passes through.
 */
export function driverOptions(args: Doc, positional: readonly string[], resolveSession: SessionResolver): Doc {
  const out: Doc = {};
  for (const [key, value] of Object.entries(args)) {
    if (positional.includes(key)) continue;
    switch (key) {
      case 'session':
        out.session = resolveSession(String(value));
        break;
      case 'readConcern':
        out.readConcern = toReadConcern(value);
        break;
      case 'writeConcern':
        out.writeConcern = toWriteConcern(value);
        break;
      case 'readPreference':
        out.readPreference = toReadPreference(value);
        break;
      case 'returnDocument':
        out.returnDocument = returnDocument(value);
        break;
      default:
        // Scalars such as limit, skip, batchSize, maxTimeMS; documents (sort, let, hint …) go as BSON.
        out[key] = plainNumber(value);
    }
  }
  return out;
}

function returnDocument(value: unknown): 'before' | 'after' {
  const text = String(value).toLowerCase();
  if (text === 'before' || text === 'after') return text;
  throw new Error(`returnDocument must be Before or After, got ${String(value)}`);
}
