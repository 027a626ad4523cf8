import { newVisit } from '../../shared/domain/desk/visits';
import { staff, T0 } from '../fixtures/desk';

describe('logging a visit', () => {
  const author = staff('李明');

  it('records the visit with its author first among the staff, de-duplicated, and trimmed attendees', () => {
    const colleague = staff('王芳');
    const made = newVisit(
      {
        id: 'v1',
        orgId: 'farm-1',
        visitedOn: '2026-11-26',
        staff: [colleague, author],
        notes: ' 冷库不足 ',
        attendees: ['刘社长', ' '],
        createdBy: author,
      },
      T0,
    );
    expect(made).toEqual({
      ok: true,
      visit: {
        id: 'v1',
        orgId: 'farm-1',
        visitedOn: '2026-11-26',
        staff: [author, colleague],
        notes: '冷库不足',
        attendees: ['刘社长'],
        createdBy: author,
        createdAt: T0,
      },
    });
  });

  it('refuses a visit dated after today in Shanghai (but accepts today though UTC is still yesterday)', () => {
    const earlyMorning = new Date('2026-11-25T17:00:00Z'); // 2026-11-26 01:00 Shanghai
    expect(
      newVisit({ id: 'v', orgId: 'o', visitedOn: '2026-11-26', staff: [], notes: 'n', createdBy: author }, earlyMorning)
        .ok,
    ).toBe(true);
    expect(
      newVisit(
        { id: 'v', orgId: 'o', visitedOn: '2026-11-27', staff: [], notes: 'n', createdBy: author },
        earlyMorning,
      ),
    ).toMatchObject({
      ok: false,
      reason: 'VISIT_IN_FUTURE',
      field: 'visitedOn',
    });
  });

  it('needs notes', () => {
    expect(
      newVisit({ id: 'v', orgId: 'o', visitedOn: '2026-11-20', staff: [], notes: '  ', createdBy: author }, T0),
    ).toMatchObject({ ok: false, reason: 'NOTES_REQUIRED' });
  });
});
