import { Types, type Connection } from 'mongoose';
import { keysetAfter, keysetSort, objectIdOf, withKeyset } from '../../../data/keyset';
import type { PageCursor } from '../../../../shared/domain/paging';
import type { CalendarDate } from '../../../../shared/domain/calendar';
import type { Person } from '../../../../shared/domain/desk/ledger';
import type { Visit } from '../../../../shared/domain/desk/visits';
import { visitModel } from './visits.model';

type Lean = Record<string, unknown> & { _id: Types.ObjectId };

const toPerson = (p: Person): Person => ({ userId: p.userId, name: p.name });

function toVisit(doc: Lean): Visit {
  return {
    id: String(doc._id),
    orgId: doc.orgId as string,
    visitedOn: doc.visitedOn as CalendarDate,
    staff: (doc.staff as Person[]).map(toPerson),
    notes: doc.notes as string,
    attendees: [...((doc.attendees as string[] | undefined) ?? [])],
    createdBy: toPerson(doc.createdBy as Person),
    createdAt: doc.createdAt as Date,
  };
}

export interface VisitFilter {
  from: CalendarDate;
  to: CalendarDate;
  orgId?: string;
  limit: number;
  after?: PageCursor;
}

export type VisitRepository = ReturnType<typeof createVisitRepository>;

export function createVisitRepository(connection: Connection) {
  const Visit = visitModel(connection);
  return {
    async ensureIndexes(): Promise<void> {
      await Visit.init();
    },
    newId: () => new Types.ObjectId().toHexString(),

    async insert(visit: Visit): Promise<Visit> {
      const { id, ...rest } = visit;
      const doc = await Visit.create({ _id: new Types.ObjectId(id), ...rest });
      return toVisit(doc.toObject() as unknown as Lean);
    },

    async findById(id: string): Promise<Visit | null> {
      if (!Types.ObjectId.isValid(id)) return null;
      const doc = await Visit.findById(id).lean<Lean>();
      return doc ? toVisit(doc) : null;
    },

    /** Newest visit day first, the id as keyset tiebreak: `limit` visits after `after`. */
    async list(filter: VisitFilter): Promise<Visit[]> {
      const query: Record<string, unknown> = { visitedOn: { $gte: filter.from, $lte: filter.to } };
      if (filter.orgId) query.orgId = String(filter.orgId);
      const beyond = keysetAfter('visitedOn', -1, filter.after, String, objectIdOf);
      const docs = await Visit.find(withKeyset(query, beyond))
        .sort(keysetSort('visitedOn', -1))
        .limit(filter.limit)
        .lean<Lean[]>();
      return docs.map(toVisit);
    },
  };
}
