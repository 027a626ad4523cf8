import type { OutlookDay } from '../../shared/domain/capacity';
import {
  atRiskLots,
  surplusFarms,
  unansweredDemand,
  type BoardDemand,
  type BoardLot,
} from '../../shared/domain/desk/at-risk';
import { at, T0, uniqueId } from '../fixtures/desk';

const lot = (over: Partial<BoardLot>): BoardLot => ({
  id: uniqueId('lot'),
  sellerOrgId: 'farm-1',
  productCode: 'shiitake',
  quantityGrams: 2_000_000,
  remainingGrams: 800_000,
  expiresAt: at(30),
  status: 'open',
  ...over,
});

describe('at-risk lots', () => {
  it('lists open lots with stock and 48 h or less left, soonest first, with the unsold share', () => {
    const soon = lot({ id: 'soon', expiresAt: at(5), remainingGrams: 1_500_000 });
    const later = lot({ id: 'later', expiresAt: at(48) });
    const board = atRiskLots(
      [
        later,
        lot({ expiresAt: at(49) }),
        soon,
        lot({ expiresAt: at(-1) }),
        lot({ status: 'sold_out', expiresAt: at(2) }),
        lot({ remainingGrams: 0, expiresAt: at(2) }),
      ],
      T0,
    );
    expect(board.map((l) => l.lotId)).toEqual(['soon', 'later']);
    expect(board[0]).toMatchObject({ unsoldPermille: 750, hoursLeft: 5, remainingGrams: 1_500_000 });
    expect(board[1].unsoldPermille).toBe(400);
  });

  it('takes a narrower window when asked', () => {
    expect(atRiskLots([lot({ expiresAt: at(30) })], T0, 24)).toEqual([]);
  });
});

describe('farms with surplus in their outlook', () => {
  const day = (date: string, lines: [string, number][]): OutlookDay => ({
    date,
    weekday: 1,
    lines: lines.map(([productCode, surplusGrams]) => ({
      productCode,
      expectedGrams: Math.max(surplusGrams, 0),
      committedGrams: 0,
      surplusGrams,
    })),
    totalSurplusGrams: 0,
    totalCommittedGrams: 0,
    dispatchOverGrams: 0,
    storableSurplusGrams: 0,
  });

  it('sums positive surplus per product, ignores shortfalls, drops farms under the threshold, biggest first', () => {
    const farms = surplusFarms(
      [
        { orgId: 'small', days: [day('2026-11-26', [['tomato', 10_000]])] },
        {
          orgId: 'mushrooms',
          days: [
            day('2026-11-26', [['shiitake', -200_000]]),
            day('2026-11-27', [
              ['shiitake', 800_000],
              ['enoki', 100_000],
            ]),
            day('2026-11-28', [['shiitake', 800_000]]),
          ],
        },
        { orgId: 'none', days: [day('2026-11-26', [['rice', 0]])] },
      ],
      5_000,
    );
    expect(farms).toEqual([
      {
        orgId: 'mushrooms',
        surplusGrams: 1_700_000,
        products: [
          { productCode: 'shiitake', surplusGrams: 1_600_000 },
          { productCode: 'enoki', surplusGrams: 100_000 },
        ],
        firstSurplusDate: '2026-11-27',
      },
      {
        orgId: 'small',
        surplusGrams: 10_000,
        products: [{ productCode: 'tomato', surplusGrams: 10_000 }],
        firstSurplusDate: '2026-11-26',
      },
    ]);
  });
});

describe('demand nobody has offered on', () => {
  const demand = (over: Partial<BoardDemand>): BoardDemand => ({
    id: uniqueId('demand'),
    buyerOrgId: 'rest-1',
    productCode: 'shiitake',
    quantityGrams: 50_000,
    maxPriceFenPerKg: 1400,
    neededBy: at(24),
    status: 'open',
    ...over,
  });

  it('keeps open, not-yet-due demand without a live or accepted offer, soonest first', () => {
    const rejectedOnly = demand({ id: 'rejected-only', neededBy: at(30) });
    const fresh = demand({ id: 'fresh', neededBy: at(10) });
    const answered = demand({ id: 'answered' });
    const accepted = demand({ id: 'accepted' });
    const list = unansweredDemand(
      [rejectedOnly, answered, accepted, fresh, demand({ neededBy: at(-1) }), demand({ status: 'closed' })],
      [
        { demandId: 'answered', state: 'countered' },
        { demandId: 'accepted', state: 'accepted' },
        { demandId: 'rejected-only', state: 'rejected' },
        { state: 'open' },
      ],
      T0,
    );
    expect(list.map((d) => d.id)).toEqual(['fresh', 'rejected-only']);
  });
});
