/**
 * The programme forms' pure parts: a pledge typed in 吨/斤/公斤/元 becomes integer grams or fen (or a refusal),
 * Shanghai calendar days become instants, server field errors are found for a form field (nested ones too),
 * and the new pages' routes (the poster's share-link token included) read and write.
 */
import type { PairingProgressEvent } from '../../shared/schemas/programme';
import {
  applyPairingEvent,
  fieldError,
  isSharedPosterPath,
  parseProgrammePath,
  pledgeOf,
  programmeHref,
  shanghaiDayEnd,
  shanghaiDayStart,
  type PairingView,
  type ProgrammeRoute,
} from '../../client/src/state/programme';

describe('a pledge as typed', () => {
  it.each([
    ['2', 't', { pledgeGrams: 2_000_000 }],
    ['100', 'jin', { pledgeGrams: 50_000 }],
    ['1.5', 'kg', { pledgeGrams: 1_500 }],
    ['100000', 'yuan', { pledgeFen: 10_000_000 }],
    ['1000.5', 'yuan', { pledgeFen: 100_050 }],
    ['', 't', {}],
    ['  ', 'yuan', {}],
  ] as const)('%s %s → %j', (amount, unit, pledge) => {
    expect(pledgeOf(amount, unit)).toEqual({ ok: true, pledge });
  });

  it.each([
    ['二十', 't'],
    ['0', 'kg'],
    ['-3', 'jin'],
    ['1.234', 'yuan'],
    ['abc', 'yuan'],
    ['0.0000001', 't'],
  ] as const)('refuses %s %s', (amount, unit) => {
    expect(pledgeOf(amount, unit).ok).toBe(false);
  });
});

it('turns Shanghai days into the instants a whole-day period needs', () => {
  expect(shanghaiDayStart('2026-12-01')).toBe('2026-11-30T16:00:00.000Z');
  expect(shanghaiDayEnd('2026-12-31')).toBe('2026-12-31T16:00:00.000Z');
});

it('finds a field’s server error, nested ones too, and nothing for other fields', () => {
  const fields = { endsAt: 'must be after startsAt', 'tasks.1.owner': 'must not be empty', farmIds: '' };
  expect(fieldError(fields, 'endsAt')).toBe('must be after startsAt');
  expect(fieldError(fields, 'tasks.1.owner')).toBe('must not be empty');
  expect(fieldError(fields, 'tasks')).toBe('must not be empty');
  expect(fieldError(fields, 'tasks.0.owner')).toBeUndefined();
  expect(fieldError(fields, 'farmIds')).toBe('✗');
  expect(fieldError(fields, 'startsAt')).toBeUndefined();
});

it('reads and writes the new programme pages, and the poster with its share token', () => {
  const token = 'AbC_-1234567890abcdefghijklmnopqrstuvwxyzAB';
  const routes: ProgrammeRoute[] = [
    { name: 'newPairing' },
    { name: 'recommendations' },
    { name: 'topics' },
    { name: 'plans' },
    { name: 'outcomes' },
    { name: 'poster', id: 'f'.repeat(24), token },
    { name: 'poster', id: 'f'.repeat(24) },
  ];
  for (const route of routes) expect(parseProgrammePath(programmeHref(route).slice(1))).toEqual(route);
  expect(isSharedPosterPath(`/programme/campaigns/${'f'.repeat(24)}/poster/${token}`)).toBe(true);
  expect(isSharedPosterPath(`/programme/campaigns/${'f'.repeat(24)}/poster`)).toBe(false);
  expect(isSharedPosterPath(`/programme/campaigns/${'f'.repeat(24)}/poster/short`)).toBe(false);
  expect(parseProgrammePath('/programme/plans/extra')).toBeNull();
});

it('applies a live pairing event: the pairing replaced in place, or added first when it is new', () => {
  const pairing = (id: string, grams: number) =>
    ({ id, enterpriseName: '食堂', progress: { grams } }) as unknown as PairingView;
  const event = (p: PairingView) =>
    ({ pairingId: p.id, change: 'order', pairing: p }) as unknown as PairingProgressEvent;
  const list = [pairing('a', 0), pairing('b', 0)];
  expect(applyPairingEvent(list, event(pairing('b', 500))).map((p) => [p.id, p.progress.grams])).toEqual([
    ['a', 0],
    ['b', 500],
  ]);
  expect(applyPairingEvent(list, event(pairing('c', 0))).map((p) => p.id)).toEqual(['c', 'a', 'b']);
});
