import { Aggregator } from 'mingo';
import { demote, promote, promoteExpr, type Doc } from '../engine/bson-values';
import type { Collection } from '../engine/collection';
import { MongoServerError } from '../engine/errors';
import type { CommandContext } from './context';

/**
 * Views (`create` with viewOn + pipeline): read commands see the pipeline's output over the
 * source; writes are refused with mongod's CommandNotSupportedOnView.
 */
export function isView(coll: Collection | undefined): boolean {
  return typeof coll?.options.viewOn === 'string';
}

/** The documents a view shows (resolving views on views). */
export function viewDocuments(ctx: CommandContext, view: Collection, depth = 0): Doc[] {
  if (depth > 20) throw new MongoServerError(2, 'View nesting is too deep');
  const source = ctx.server.catalog.get(view.db, String(view.options.viewOn));
  let docs: Doc[] = [];
  if (source) docs = isView(source) ? viewDocuments(ctx, source, depth + 1) : [...source.docs.values()];
  const pipeline = Array.isArray(view.options.pipeline) ? (view.options.pipeline as Doc[]) : [];
  if (pipeline.length === 0) return docs;
  const resolver = (name: string): Doc[] => {
    const c = ctx.server.catalog.get(view.db, name);
    return c ? [...c.docs.values()].map((d) => promote(d) as Doc) : [];
  };
  return demote(
    new Aggregator(
      pipeline.map((s) => promoteExpr(s) as Doc),
      { collectionResolver: resolver },
    ).run(docs.map((d) => promote(d) as Doc)),
  ) as Doc[];
}

export function refuseWriteOnView(coll: Collection | undefined): void {
  if (isView(coll)) throw new MongoServerError(166, `Namespace ${coll?.ns ?? ''} is a view, not a collection`);
}
