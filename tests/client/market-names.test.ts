/** Parties' names on market records: the recorded one first, the organisations lookup only for older records. */
import { counterpartyName, needsNameLookup, partyName } from '../../client/src/state/market-names';

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
