import {
  csvField,
  fenToYuanText,
  gramsToKgText,
  LEDGER_CSV_HEADER,
  ledgerCsv,
  neutraliseFormula,
  shanghaiDateTimeText,
  toCsv,
} from '../../shared/domain/desk/csv';
import {
  ledgerKpis,
  ledgerKpisByPeriod,
  newLedgerEntry,
  voidLedgerEntry,
  wasAtRisk,
} from '../../shared/domain/desk/ledger';
import { isoWeek, periodOf, periodOfDate, periodsBetween, instantRange } from '../../shared/domain/desk/periods';
import { sellThrough } from '../../shared/domain/desk/sell-through';
import { aContext, anEntry, anOrder, at, T0 } from '../fixtures/desk';

describe('reporting periods on the Shanghai calendar', () => {
  it('puts 23:30 UTC on the next Shanghai day, whatever the host zone', () => {
    expect(periodOf(new Date('2026-12-31T16:30:00Z'), 'day').key).toBe('2027-01-01');
    expect(periodOf(new Date('2026-12-31T15:59:59Z'), 'year').key).toBe('2026');
    expect(periodOf(new Date('2026-12-31T16:00:00Z'), 'year').key).toBe('2027');
  });

  it.each([
    ['2026-11-26', 'week', '2026-W48', '2026-11-23', '2026-11-29'],
    ['2027-01-01', 'week', '2026-W53', '2026-12-28', '2027-01-03'],
    ['2024-12-30', 'week', '2025-W01', '2024-12-30', '2025-01-05'],
    ['2026-02-14', 'month', '2026-02', '2026-02-01', '2026-02-28'],
    ['2024-02-14', 'month', '2024-02', '2024-02-01', '2024-02-29'],
    ['2026-11-26', 'quarter', '2026-Q4', '2026-10-01', '2026-12-31'],
    ['2026-05-01', 'quarter', '2026-Q2', '2026-04-01', '2026-06-30'],
    ['2026-05-01', 'year', '2026', '2026-01-01', '2026-12-31'],
  ] as const)('%s in a %s is %s (%s … %s)', (date, period, key, first, last) => {
    expect(periodOfDate(date, period)).toEqual({ key, firstDay: first, lastDay: last });
  });

  it('numbers ISO weeks with the Thursday rule', () => {
    expect(isoWeek('2026-01-01')).toMatchObject({ year: 2026, week: 1, monday: '2025-12-29' });
    expect(isoWeek('2021-01-03')).toMatchObject({ year: 2020, week: 53 });
  });

  it('lists every period in a range, empty ones included', () => {
    expect(periodsBetween('2026-11-20', '2026-12-05', 'week').map((p) => p.key)).toEqual([
      '2026-W47',
      '2026-W48',
      '2026-W49',
    ]);
    expect(periodsBetween('2026-10-15', '2027-01-10', 'month').map((p) => p.key)).toEqual([
      '2026-10',
      '2026-11',
      '2026-12',
      '2027-01',
    ]);
  });

  it('turns Shanghai days into a half-open instant range', () => {
    expect(instantRange('2026-11-26', '2026-11-26')).toEqual({
      start: new Date('2026-11-25T16:00:00Z'),
      end: new Date('2026-11-26T16:00:00Z'),
    });
  });
});

describe('a ledger entry per facilitated order', () => {
  it('records who brokered what for whom, under the programme, from the confirmed order', () => {
    const order = anOrder({ quantityGrams: 250_000, totalFen: 325_000 });
    const made = newLedgerEntry('e1', order, aContext(), T0);
    expect(made).toEqual({
      ok: true,
      entry: expect.objectContaining({
        orderId: order.id,
        valueFen: 325_000,
        quantityGrams: 250_000,
        programme: '万企兴万村',
        atRisk: false,
        createdAt: T0,
      }),
    });
  });

  it('marks the sale at risk when the lot had 48 h or less left when it was brokered', () => {
    expect(wasAtRisk(at(48), T0)).toBe(true);
    expect(wasAtRisk(at(48.01), T0)).toBe(false);
    expect(wasAtRisk(T0, T0)).toBe(false);
    const made = newLedgerEntry('e', anOrder(), aContext({ lotExpiresAt: at(50), brokeredAt: at(3) }), at(10));
    expect(made.ok && made.entry.atRisk).toBe(true);
  });

  it('refuses an order whose parties are not the ones named', () => {
    expect(newLedgerEntry('e', anOrder({ sellerOrgId: 'farm-9' }), aContext(), T0)).toMatchObject({
      ok: false,
      reason: 'PARTY_MISMATCH',
      field: 'farm.orgId',
    });
    expect(newLedgerEntry('e', anOrder({ buyerOrgId: 'rest-9' }), aContext(), T0)).toMatchObject({
      ok: false,
      reason: 'PARTY_MISMATCH',
    });
    expect(newLedgerEntry('e', anOrder({ quantityGrams: 0 }), aContext(), T0)).toMatchObject({
      ok: false,
      reason: 'INVALID_QUANTITY',
    });
  });

  it('voids an entry once, with a reason, and keeps it', () => {
    const entry = anEntry();
    expect(voidLedgerEntry(entry, '  ', T0)).toMatchObject({ ok: false, reason: 'REASON_REQUIRED' });
    const voided = voidLedgerEntry(entry, '订单取消', at(1));
    expect(voided).toMatchObject({ ok: true, entry: { voidedAt: at(1), voidReason: '订单取消' } });
    if (voided.ok)
      expect(voidLedgerEntry(voided.entry, 'again', at(2))).toMatchObject({ ok: false, reason: 'ALREADY_VOID' });
  });
});

describe('ledger KPIs', () => {
  const entries = [
    anEntry({ valueFen: 100_000, quantityGrams: 80_000, atRisk: true }),
    anEntry({ valueFen: 36_700, quantityGrams: 30_000, buyer: { orgId: 'rest-2', name: '滕王阁酒楼' } }),
    anEntry({
      farm: { orgId: 'farm-2', name: '溪霞果蔬', township: '溪霞镇', village: '店前村' },
      valueFen: 1,
      quantityGrams: 1,
      createdAt: at(24 * 7),
    }),
    anEntry({
      farm: { orgId: 'farm-3', name: '无村信息' },
      valueFen: 999,
      quantityGrams: 999,
      voidedAt: at(1),
      voidReason: 'cancelled',
    }),
  ];

  it('adds sales and volume, at-risk volume, and counts distinct enterprises, buyers and villages; void entries do not count', () => {
    expect(ledgerKpis(entries)).toEqual({
      orders: 3,
      valueFen: 136_701,
      quantityGrams: 110_001,
      atRiskGrams: 80_000,
      atRiskOrders: 1,
      enterprises: 2,
      buyers: 2,
      villages: 2,
    });
  });

  it('groups by week with empty weeks included, and totals count each farm once', () => {
    const { periods, total } = ledgerKpisByPeriod(entries, 'week', '2026-11-23', '2026-12-13');
    expect(periods.map((p) => [p.period, p.orders, p.valueFen])).toEqual([
      ['2026-W48', 2, 136_700],
      ['2026-W49', 1, 1],
      ['2026-W50', 0, 0],
    ]);
    expect(total).toMatchObject({ orders: 3, enterprises: 2 });
  });

  it('leaves out entries outside the range (Shanghai days)', () => {
    const late = anEntry({ createdAt: new Date('2026-11-26T16:00:00Z') }); // 2026-11-27 00:00 Shanghai
    expect(ledgerKpisByPeriod([late], 'day', '2026-11-26', '2026-11-26').total.orders).toBe(0);
    expect(ledgerKpisByPeriod([late], 'day', '2026-11-27', '2026-11-27').total.orders).toBe(1);
  });
});

describe('sell-through per farm', () => {
  it('is sold ÷ (sold + spoiled) per period and overall, null when nothing moved', () => {
    const series = sellThrough(
      [
        { farmId: 'farm-1', date: '2026-11-23', soldGrams: 1_200_000, spoiledGrams: 800_000 },
        { farmId: 'farm-1', date: '2026-11-24', soldGrams: 1_200_000, spoiledGrams: 800_000 },
        { farmId: 'farm-1', date: '2026-12-01', soldGrams: 1_800_000, spoiledGrams: 200_000 },
        { farmId: 'farm-0', date: '2026-12-01', soldGrams: 2, spoiledGrams: 1 },
        { farmId: 'farm-1', date: '2027-01-01', soldGrams: 5, spoiledGrams: 5 },
      ],
      'week',
      '2026-11-23',
      '2026-12-13',
    );
    expect(series.map((s) => s.farmId)).toEqual(['farm-0', 'farm-1']);
    const farm1 = series[1];
    expect(farm1.points.map((p) => [p.period, p.rate, p.ratePermille])).toEqual([
      ['2026-W48', 0.6, 600],
      ['2026-W49', 0.9, 900],
      ['2026-W50', null, null],
    ]);
    expect(farm1.overall).toEqual({ soldGrams: 4_200_000, spoiledGrams: 1_800_000, rate: 0.7, ratePermille: 700 });
    expect(series[0].overall.ratePermille).toBe(667);
  });
});

describe('CSV export', () => {
  it('quotes by RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(toCsv(['a', 'b'], [['1', '2']])).toBe('\uFEFFa,b\r\n1,2\r\n');
  });

  it('formats money and weight from integers exactly', () => {
    expect(fenToYuanText(13_670_000)).toBe('136700.00');
    expect(fenToYuanText(5)).toBe('0.05');
    expect(gramsToKgText(1_234_567)).toBe('1234.567');
    expect(gramsToKgText(500)).toBe('0.500');
  });

  it('turns user text that looks like a formula into text', () => {
    expect(neutraliseFormula('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(neutraliseFormula('-1')).toBe("'-1");
    expect(neutraliseFormula('李明')).toBe('李明');
  });

  it('writes the Chinese header first, Shanghai times, 元 and 公斤, and the raw integers; skips void entries', () => {
    const csv = ledgerCsv([
      anEntry({
        orderId: 'o-1',
        createdAt: new Date('2026-11-26T06:05:00Z'),
        atRisk: true,
        buyer: { orgId: 'r', name: '饭店, "老表"' },
      }),
      anEntry({ voidedAt: T0 }),
    ]);
    expect(
      csv.startsWith(
        '\uFEFF日期,经办人,农场,乡镇,村,买方,品种,数量(公斤),金额(元),项目,临期,订单号,数量(克),金额(分)\r\n',
      ),
    ).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(
      '2026-11-26 14:05,李明,绿源食用菌合作社,生米镇,南边村,"饭店, ""老表""",鲜香菇,100.000,1300.00,万企兴万村,是,o-1,100000,130000',
    );
    expect(lines[2]).toBe('');
    expect(LEDGER_CSV_HEADER[0]).toBe('日期');
    expect(shanghaiDateTimeText(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01 00:00');
  });
});
