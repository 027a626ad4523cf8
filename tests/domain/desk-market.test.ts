import { dailyOutcomesOfLots } from '../../server/features/desk/desk.market-adapter';
import { brokerStepOf } from '../../server/features/desk/desk.market-events';
import type { LotRecord } from '../../server/features/market/lots/lots.repository';
import { T0, at, uniqueId } from '../fixtures/desk';

function aLotRecord(over: Partial<LotRecord>): LotRecord {
  return {
    id: uniqueId('lot'),
    sellerOrgId: 'farm-1',
    createdBy: 'user-1',
    productCode: 'shiitake',
    quantityGrams: 1_000_000,
    remainingGrams: 1_000_000,
    harvestedAt: T0,
    storage: 'cold',
    reservePriceFenPerKg: 1000,
    askPriceFenPerKg: 1300,
    expiresAt: at(96),
    status: 'open',
    reservations: [],
    fencedOrderIds: [],
    createdAt: T0,
    updatedAt: T0,
    version: 1,
    ...over,
  };
}

describe('sell-through read from lots', () => {
  it('counts reserved grams as sold on the Shanghai day reserved, and an expired lot’s leftovers as spoiled on its expiry day', () => {
    const outcomes = dailyOutcomesOfLots(
      [
        aLotRecord({
          reservations: [
            { orderId: 'o1', grams: 300_000, at: new Date('2026-11-26T15:59:00Z') }, // 23:59 Shanghai, 26th
            { orderId: 'o2', grams: 200_000, at: new Date('2026-11-26T16:00:00Z') }, // 00:00 Shanghai, 27th
          ],
          status: 'expired',
          spoiledGrams: 500_000,
          expiredAt: new Date('2026-11-28T02:00:00Z'),
        }),
        aLotRecord({
          sellerOrgId: 'farm-2',
          reservations: [{ orderId: 'o3', grams: 1, at: new Date('2026-12-05T00:00:00Z') }],
        }),
      ],
      '2026-11-26',
      '2026-11-30',
    );
    expect(outcomes).toEqual([
      { farmId: 'farm-1', date: '2026-11-26', soldGrams: 300_000, spoiledGrams: 0 },
      { farmId: 'farm-1', date: '2026-11-27', soldGrams: 200_000, spoiledGrams: 0 },
      { farmId: 'farm-1', date: '2026-11-28', soldGrams: 0, spoiledGrams: 500_000 },
    ]);
  });
});

describe('who brokered an offer', () => {
  it('is the last step a broker took, with its time; none when nobody brokered', () => {
    const steps = [
      { action: 'make' as const, side: 'buyer' as const, userId: 'cook', at: T0 },
      { action: 'counter' as const, side: 'seller' as const, userId: 'desk-1', viaBroker: true, at: at(1) },
      { action: 'accept' as const, side: 'buyer' as const, userId: 'cook', at: at(2) },
    ];
    expect(brokerStepOf({ history: steps })).toEqual({ userId: 'desk-1', at: at(1) });
    expect(brokerStepOf({ history: [steps[0], steps[2]] })).toBeNull();
  });
});
