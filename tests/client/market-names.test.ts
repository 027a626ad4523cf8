/** Parties' names on market records: the recorded one first, the organisations lookup only for older records. */
import type { AccountsApi } from '../../client/src/api';
import { counterpartyName, needsNameLookup, organisationNames, partyName } from '../../client/src/state/market-names';

const FARM = 'f'.repeat(24);
const CAFE = 'c'.repeat(24);
const deal = { sellerOrgId: FARM, buyerOrgId: CAFE, sellerName: '湾里生态农场', buyerName: '赣菜馆' };
const lookup = new Map([
  [FARM, '旧名农场'],
  [CAFE, '旧名餐馆'],
]);

describe('counterparty names', () => {
  it('shows the farm the restaurant’s name and the restaurant the farm’s', () => {
    expect(counterpartyName(deal, 'seller')).toBe('赣菜馆');
    expect(counterpartyName(deal, 'buyer')).toBe('湾里生态农场');
  });

  it('prefers the name the record carries over the lookup, falls back to the lookup, then to a dash', () => {
    expect(partyName(deal.sellerName, FARM, lookup)).toBe('湾里生态农场');
    expect(partyName(undefined, FARM, lookup)).toBe('旧名农场');
    expect(partyName(undefined, 'a'.repeat(24), lookup)).toBe('—');
  });

  it('needs the organisations lookup only when some record lacks a name', () => {
    expect(needsNameLookup([deal, { ...deal }])).toBe(false);
    expect(needsNameLookup([deal, { sellerOrgId: FARM, buyerOrgId: CAFE, sellerName: '湾里生态农场' }])).toBe(true);
    expect(needsNameLookup([{ sellerOrgId: FARM, sellerName: '湾里生态农场' }])).toBe(false);
    expect(needsNameLookup([])).toBe(false);
  });
});

describe('the organisations lookup', () => {
  it('reads every page of each kind, not only the first 200', async () => {
    const asked: unknown[] = [];
    // only id and name are read
    const org = (id: string, name: string, kind: 'farm' | 'restaurant') => ({ id, name, kind }) as never;
    const api: Pick<AccountsApi, 'organisations'> = {
      organisations: async (query) => {
        asked.push(query);
        if (query.kind === 'farm' && query.cursor === undefined)
          return { ok: true, data: { items: [org('f1', '第一页农场', 'farm')], nextCursor: 'next-farms' } };
        if (query.kind === 'farm')
          return { ok: true, data: { items: [org('f2', '第二页农场', 'farm')], nextCursor: null } };
        return { ok: true, data: { items: [org('r1', '餐馆', 'restaurant')], nextCursor: null } };
      },
    };
    const names = await organisationNames(api, ['farm', 'restaurant']);
    expect([...names.entries()]).toEqual([
      ['f1', '第一页农场'],
      ['f2', '第二页农场'],
      ['r1', '餐馆'],
    ]);
    expect(asked).toContainEqual({ kind: 'farm', limit: 200, cursor: 'next-farms' });
  });
});
