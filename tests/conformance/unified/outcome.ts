// initialData (set up before each test) and outcome (final collection contents) via the internal client.
import { MongoServerError, type MongoClient } from 'mongodb';
import { describe, type Doc } from './bson-values';
import { matchValue } from './matcher';
import type { CollectionData } from './types';

const NAMESPACE_NOT_FOUND = 26;

export async function setUpInitialData(client: MongoClient, data: CollectionData[] | undefined): Promise<void> {
  for (const entry of data ?? []) {
    const db = client.db(entry.databaseName);
    try {
      await db.collection(entry.collectionName).drop({ writeConcern: { w: 'majority' } });
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND)) throw error;
    }
    if (entry.createOptions) {
      await db.createCollection(entry.collectionName, { ...entry.createOptions, writeConcern: { w: 'majority' } });
    }
    if (entry.documents.length > 0) {
      await db.collection<Doc>(entry.collectionName).insertMany(entry.documents, { writeConcern: { w: 'majority' } });
    } else if (!entry.createOptions) {
      await db.createCollection(entry.collectionName, { writeConcern: { w: 'majority' } });
    }
  }
}

export type OutcomeCheck = { ok: true } | { ok: false; message: string };

/** Collection contents must equal `expected` exactly (numbers by value, key order free), sorted by _id. */
export async function checkOutcome(client: MongoClient, outcome: CollectionData[] | undefined): Promise<OutcomeCheck> {
  for (const entry of outcome ?? []) {
    const actual = await client
      .db(entry.databaseName)
      .collection<Doc>(entry.collectionName)
      .find({}, { sort: { _id: 1 }, readConcern: { level: 'local' } })
      .toArray();
    const where = `${entry.databaseName}.${entry.collectionName}`;
    if (actual.length !== entry.documents.length) {
      return {
        ok: false,
        message: `outcome ${where}: expected ${entry.documents.length} documents, got ${actual.length}: ${describe(actual, 300)}`,
      };
    }
    for (let i = 0; i < actual.length; i++) {
      const r = matchValue(entry.documents[i], actual[i], { root: false });
      if (!r.ok) return { ok: false, message: `outcome ${where}[${i}] ${r.path}: ${r.message}` };
    }
  }
  return { ok: true };
}
