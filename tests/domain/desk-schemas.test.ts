import {
  createVisitBody,
  ledgerQuery,
  linkProblemOrdersBody,
  resolveRange,
  sendProposalBody,
  transitionProblemBody,
  updateProblemBody,
} from '../../shared/schemas/desk';

describe('desk schemas', () => {
  it('reads ledger queries from the query string with defaults', () => {
    expect(ledgerQuery.parse({ from: '2026-11-01', to: '2026-11-30', atRisk: 'true', limit: '10' })).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      atRisk: true,
      limit: 10,
      period: 'day',
    });
    expect(ledgerQuery.safeParse({ from: '2026-12-01', to: '2026-11-30' }).success).toBe(false);
    expect(ledgerQuery.safeParse({ from: '2020-01-01', to: '2026-11-30' }).success).toBe(false);
    expect(ledgerQuery.safeParse({ period: 'fortnight' }).success).toBe(false);
    expect(ledgerQuery.safeParse({ form: '2026-11-01' }).success).toBe(false);
  });

  it('defaults a range to the 30 days up to today', () => {
    expect(resolveRange({}, '2026-11-26')).toEqual({ from: '2026-10-28', to: '2026-11-26' });
    expect(resolveRange({ from: '2026-11-01' }, '2026-11-26')).toEqual({ from: '2026-11-01', to: '2026-11-26' });
    expect(resolveRange({ to: '2026-11-10' }, '2026-11-26')).toEqual({ from: '2026-10-12', to: '2026-11-10' });
  });

  it('accepts a visit with the problems raised on it', () => {
    const body = createVisitBody.parse({
      orgId: 'farm-1',
      visitedOn: '2026-11-26',
      notes: '走访',
      problems: [{ category: 'sales', description: '销路' }],
    });
    expect(body).toMatchObject({ staff: [], problems: [{ category: 'sales', description: '销路' }] });
    expect(createVisitBody.safeParse({ orgId: 'farm-1', visitedOn: '26/11/2026', notes: 'x' }).success).toBe(false);
  });

  it('tells transitions apart by type and requires their texts', () => {
    expect(transitionProblemBody.parse({ type: 'resolve', resolution: '已解决', resolvedOnSite: true })).toEqual({
      type: 'resolve',
      resolution: '已解决',
      resolvedOnSite: true,
    });
    expect(transitionProblemBody.safeParse({ type: 'resolve' }).success).toBe(false);
    expect(transitionProblemBody.safeParse({ type: 'reopen', reason: ' ' }).success).toBe(false);
    expect(transitionProblemBody.safeParse({ type: 'close' }).success).toBe(false);
  });

  it('needs at least one change in a problem update, and null clears the assignee', () => {
    expect(updateProblemBody.safeParse({}).success).toBe(false);
    expect(updateProblemBody.parse({ assignee: null })).toEqual({ assignee: null });
    expect(linkProblemOrdersBody.safeParse({ orderIds: [] }).success).toBe(false);
  });

  it('takes a reviewed proposal in whole grams and fen', () => {
    expect(
      sendProposalBody.safeParse({ lotId: 'l', demandId: 'd', quantityGrams: 1.5, priceFenPerKg: 1300 }).success,
    ).toBe(false);
    expect(
      sendProposalBody.parse({
        lotId: 'l',
        demandId: 'd',
        quantityGrams: 1500,
        priceFenPerKg: 1300,
        validUntil: '2026-11-26T18:00:00+08:00',
      }).validUntil,
    ).toEqual(new Date('2026-11-26T10:00:00Z'));
  });
});
