/**
 * Visits (走访调研): chamber staff go to an enterprise, listen, and write down what they
 * heard. Problems raised there are separate records (problems.ts) that point back here.
 */
import { shanghaiDate, type CalendarDate } from '../calendar';
import { fail, type Failure } from '../outcome';
import type { Person } from './ledger';

export interface Visit {
  id: string;
  orgId: string;
  /** The Shanghai calendar day of the visit. */
  visitedOn: CalendarDate;
  /** Chamber staff who went; the first is the one who wrote it up. */
  staff: Person[];
  notes: string;
  /** People met at the enterprise (names and roles as typed). */
  attendees: string[];
  createdBy: Person;
  createdAt: Date;
}

export interface NewVisitInput {
  id: string;
  orgId: string;
  visitedOn: CalendarDate;
  staff: Person[];
  notes: string;
  attendees?: string[];
  createdBy: Person;
}

export type VisitFailure = Failure<'VISIT_IN_FUTURE' | 'STAFF_REQUIRED' | 'NOTES_REQUIRED'>;

/** A visit is logged after it happened: its day may not be after today (Shanghai). */
export function newVisit(input: NewVisitInput, now: Date): { ok: true; visit: Visit } | VisitFailure {
  if (input.visitedOn > shanghaiDate(now))
    return fail('VISIT_IN_FUTURE', 'A visit is logged on or after the day it happened', 'visitedOn');
  const notes = input.notes.trim();
  if (notes === '') return fail('NOTES_REQUIRED', 'Write down what was discussed', 'notes');
  const seen = new Set<string>();
  const staff = [input.createdBy, ...input.staff].filter((p) => !seen.has(p.userId) && seen.add(p.userId));
  if (staff.length === 0) return fail('STAFF_REQUIRED', 'Name at least one member of staff', 'staff');
  const attendees = (input.attendees ?? []).map((a) => a.trim()).filter((a) => a !== '');
  return {
    ok: true,
    visit: {
      id: input.id,
      orgId: input.orgId,
      visitedOn: input.visitedOn,
      staff,
      notes,
      attendees,
      createdBy: input.createdBy,
      createdAt: now,
    },
  };
}
