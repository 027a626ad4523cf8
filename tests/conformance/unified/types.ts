// Shapes of a Unified Test Format file, as far as this runner reads them.
import type { Doc } from './bson-values';

export interface RunOnRequirement {
  minServerVersion?: string;
  maxServerVersion?: string;
  topologies?: string[];
  serverless?: 'require' | 'forbid' | 'allow';
  serverParameters?: Doc;
  auth?: boolean;
  authMechanism?: string;
  csfle?: boolean | Doc;
}

export interface EntityDescription {
  client?: Doc & { id: string; uriOptions?: Doc; serverApi?: Doc };
  database?: Doc & { id: string; client: string; databaseName: string; databaseOptions?: Doc };
  collection?: Doc & { id: string; database: string; collectionName: string; collectionOptions?: Doc };
  session?: Doc & { id: string; client: string; sessionOptions?: Doc };
  bucket?: Doc & { id: string };
  thread?: Doc & { id: string };
  clientEncryption?: Doc & { id: string };
}

export interface CollectionData {
  collectionName: string;
  databaseName: string;
  createOptions?: Doc;
  documents: Doc[];
}

export interface ExpectedError {
  isError?: boolean;
  isClientError?: boolean;
  isTimeoutError?: boolean;
  errorContains?: string;
  /** An Int32 once parsed as canonical Extended JSON. */
  errorCode?: unknown;
  errorCodeName?: string;
  errorLabelsContain?: string[];
  errorLabelsOmit?: string[];
  writeErrors?: Doc;
  writeConcernErrors?: Doc[];
  errorResponse?: Doc;
  expectResult?: unknown;
}

export interface Operation {
  name: string;
  object: string;
  arguments?: Doc;
  expectResult?: unknown;
  expectError?: ExpectedError;
  saveResultAsEntity?: string;
  ignoreResultAndError?: boolean;
}

export interface TestCase {
  description: string;
  runOnRequirements?: RunOnRequirement[];
  skipReason?: string;
  operations: Operation[];
  expectEvents?: unknown[];
  outcome?: CollectionData[];
}

export interface TestFile {
  description: string;
  schemaVersion: string;
  runOnRequirements?: RunOnRequirement[];
  createEntities?: EntityDescription[];
  initialData?: CollectionData[];
  tests: TestCase[];
}

/** What the runner learned about the server under test. */
export interface ServerInfo {
  version: [number, number, number];
  topology: 'single' | 'replicaset' | 'sharded' | 'load-balanced';
  authEnabled: boolean;
}

export type TestStatus =
  | { status: 'pass' }
  | { status: 'skip'; reason: string }
  | {
      status: 'fail';
      /** One short line for the report. */
      reason: string;
      /** A coarse grouping key (kind of failure + operation + error class) for tallies. */
      cause: string;
      /** Everything useful for --verbose. */
      details: string[];
    };

interface TestReport {
  description: string;
  result: TestStatus;
}

export interface FileReport {
  file: string;
  tests: TestReport[];
}
