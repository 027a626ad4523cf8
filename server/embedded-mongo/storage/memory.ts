import type { CollectionMeta, Storage, StorageOp, StoredCollection } from './types';
import type { Document } from 'bson';

/**
 * A Storage that keeps nothing on disk: used until (or instead of) the LMDB storage, and
 * by tests that only need the engine.
 */
export function openMemoryStorage(): Storage {
  const metas = new Map<string, CollectionMeta>();
  const docs = new Map<string, Map<string, Document>>();
  let closed = false;
  const nsOf = (db: string, coll: string): string => `${db}.${coll}`;

  return {
    load(): StoredCollection[] {
      return [...metas.entries()].map(([ns, meta]) => ({
        meta,
        documents: () => [...(docs.get(ns) ?? new Map<string, Document>()).entries()].map(([key, doc]) => ({ key, doc })),
      }));
    },
    async commit(ops: StorageOp[]): Promise<void> {
      if (closed) throw new Error('storage is closed');
      for (const op of ops) {
        if (op.op === 'putMeta') {
          const ns = nsOf(op.meta.db, op.meta.name);
          metas.set(ns, op.meta);
          if (!docs.has(ns)) docs.set(ns, new Map());
        } else if (op.op === 'dropCollection') {
          metas.delete(nsOf(op.db, op.coll));
          docs.delete(nsOf(op.db, op.coll));
        } else {
          const ns = nsOf(op.db, op.coll);
          const m = docs.get(ns) ?? new Map<string, Document>();
          docs.set(ns, m);
          if (op.op === 'put') m.set(op.key, op.doc);
          else m.delete(op.key);
        }
      }
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}
