import {
  campaignScope,
  campaignStatus,
  changePledge,
  countsFor,
  endPairing,
  inviteToCampaign,
  joinCampaign,
  leaderboard,
  newCampaign,
  newPairing,
  newPlan,
  outcomeLinks,
  overdueTasks,
  pairingScope,
  pledgeProgress,
  programmeDashboard,
  progressOf,
  reasonText,
  recommendBuyers,
  setTaskDone,
} from '../../shared/domain/programme';
import { anOrderFact, DEC1, days } from '../fixtures/programme';

const campaign = (over: Parameters<typeof newCampaign>[0] extends infer I ? Partial<I> : never = {}) => {
  const made = newCampaign(
    { id: 'c1', createdBy: 'staff-1', name: ' 冬季菌菇消费帮扶 ', startsAt: DEC1, endsAt: days(31), ...over },
    DEC1,
  );
  if (!made.ok) throw new Error(made.message);
  return made.campaign;
};

describe('what counts for a campaign', () => {
  const scope = campaignScope(campaign({ productCodes: ['shiitake'], farmIds: ['farm-1'], villages: ['太平村'] }));

  it('counts a confirmed in-scope order once, by value, grams, orders and distinct buyers', () => {
    const a = anOrderFact();
    const b = anOrderFact({ buyerOrgId: 'canteen-2', status: 'delivered', quantityGrams: 50_000, totalFen: 60_000 });
    expect(progressOf(scope, [a, b, a])).toEqual({ valueFen: 180_000, grams: 150_000, orders: 2, buyers: 2 });
  });

  it('leaves out another product, another place, another period and orders that did not happen', () => {
    const outside = [
      anOrderFact({ productCode: 'bok_choy' }),
      anOrderFact({ sellerOrgId: 'farm-9', sellerVillage: '别的村' }),
      anOrderFact({ confirmedAt: days(-1) }),
      anOrderFact({ confirmedAt: days(31) }),
      anOrderFact({ status: 'cancelled' }),
      anOrderFact({ status: 'pending' }),
      anOrderFact({ status: 'failed' }),
    ];
    expect(outside.filter((o) => countsFor(scope, o))).toEqual([]);
    expect(progressOf(scope, outside)).toEqual({ valueFen: 0, grams: 0, orders: 0, buyers: 0 });
  });

  it('takes farms and villages as one set of places: a farm outside the villages but named counts', () => {
    const named = anOrderFact({ sellerOrgId: 'farm-1', sellerVillage: '别的村' });
    const inVillage = anOrderFact({ sellerOrgId: 'farm-7', sellerVillage: '太平村' });
    expect([countsFor(scope, named), countsFor(scope, inVillage)]).toEqual([true, true]);
  });

  it('counts every product and place when the campaign names none; the start is inside, the end outside', () => {
    const open = campaignScope(campaign());
    expect(countsFor(open, anOrderFact({ productCode: 'navel_orange', confirmedAt: DEC1 }))).toBe(true);
    expect(countsFor(open, anOrderFact({ confirmedAt: days(31) }))).toBe(false);
  });

  it('ranks buyers and villages by value on the leaderboard', () => {
    const orders = [
      anOrderFact({ buyerOrgId: 'a', totalFen: 100 }),
      anOrderFact({ buyerOrgId: 'b', totalFen: 300, sellerVillage: '新村' }),
      anOrderFact({ buyerOrgId: 'a', totalFen: 250 }),
    ];
    expect(leaderboard(orders, 'buyer').map((r) => [r.key, r.valueFen, r.orders])).toEqual([
      ['a', 350, 2],
      ['b', 300, 1],
    ]);
    expect(leaderboard(orders, 'village').map((r) => r.key)).toEqual(['太平村', '新村']);
  });
});

describe('making and joining a campaign', () => {
  it('refuses a period that ends before it starts, naming endsAt', () => {
    expect(newCampaign({ id: 'x', createdBy: 's', name: 'x', startsAt: DEC1, endsAt: DEC1 }, DEC1)).toMatchObject({
      ok: false,
      reason: 'INVALID_PERIOD',
      field: 'endsAt',
    });
  });

  it('trims the name and is upcoming, running, then ended', () => {
    const c = campaign({ startsAt: days(1) });
    expect(c.name).toBe('冬季菌菇消费帮扶');
    expect([DEC1, days(2), days(31)].map((t) => campaignStatus(c, t))).toEqual(['upcoming', 'running', 'ended']);
  });

  it('lets an enterprise join once (again is a no-op) but not after the end, nor uninvited when invitation-only', () => {
    const c = campaign();
    const joined = joinCampaign(c, 'canteen-1', days(2));
    expect(joined).toEqual({ ok: true, joinedOrgIds: ['canteen-1'], changed: true });
    expect(joinCampaign({ ...c, joinedOrgIds: ['canteen-1'] }, 'canteen-1', days(40))).toMatchObject({
      changed: false,
    });
    expect(joinCampaign(c, 'canteen-2', days(40))).toMatchObject({ ok: false, reason: 'CAMPAIGN_ENDED' });
    expect(joinCampaign(c, 'canteen-2', days(2), false)).toMatchObject({ ok: false, reason: 'NOT_INVITED' });
    const invited = inviteToCampaign(c, ['canteen-2', 'canteen-2']);
    expect(invited).toEqual({ ok: true, invitedOrgIds: ['canteen-2'], added: ['canteen-2'] });
  });
});

describe('pairing progress', () => {
  const made = newPairing(
    {
      id: 'p1',
      enterpriseOrgId: 'canteen-1',
      farmIds: ['farm-1'],
      startsAt: DEC1,
      endsAt: days(90),
      pledgeGrams: 20_000_000,
      by: 'staff-1',
    },
    DEC1,
  );
  if (!made.ok) throw new Error('pairing');
  const pairing = made.pairing;

  it('counts only the paired enterprise buying from the paired farm in the period', () => {
    const scope = pairingScope(pairing);
    const orders = [
      anOrderFact({ quantityGrams: 2_000_000 }),
      anOrderFact({ buyerOrgId: 'canteen-2' }),
      anOrderFact({ sellerOrgId: 'farm-2', sellerVillage: '新村' }),
      anOrderFact({ confirmedAt: days(91) }),
    ];
    const progress = progressOf(scope, orders);
    expect(progress).toMatchObject({ grams: 2_000_000, orders: 1 });
    expect(pledgeProgress(pairing, progress)).toEqual({ gramsPermille: 100, valuePermille: null });
  });

  it('needs a farm or village, keeps history of pledge changes and ends once', () => {
    expect(newPairing({ id: 'p', enterpriseOrgId: 'e', startsAt: DEC1, endsAt: days(1), by: 's' }, DEC1)).toMatchObject(
      { ok: false, reason: 'NO_COUNTERPART' },
    );
    const changed = changePledge(pairing, { pledgeFen: 10_000_000, pledgeGrams: null, by: 'staff-2' }, days(3));
    if (!changed.ok) throw new Error('pledge');
    expect(changed.pairing).toMatchObject({ pledgeFen: 10_000_000 });
    expect(changed.pairing.pledgeGrams).toBeUndefined();
    expect(changed.pairing.history.map((h) => h.action)).toEqual(['pair', 'pledge']);
    const ended = endPairing(changed.pairing, 'staff-1', days(10));
    if (!ended.ok) throw new Error('end');
    expect(ended.pairing.endsAt).toEqual(days(10));
    expect(endPairing(ended.pairing, 'staff-1', days(11))).toMatchObject({ ok: false, reason: 'PAIRING_ENDED' });
  });
});

describe('recommending buyers for a farm with surplus shiitake', () => {
  const farm = { lat: 27.74, lng: 115.4 };
  const candidates = [
    { orgId: 'none', name: '甲食堂', kind: 'canteen', location: { lat: 27.75, lng: 115.41 } },
    { orgId: 'bought', name: '乙酒楼', kind: 'restaurant', location: { lat: 27.9, lng: 115.4 } },
    { orgId: 'similar', name: '丙超市', kind: 'retailer' },
    { orgId: 'paired', name: '丁企业', kind: 'enterprise' },
  ];
  const ranked = recommendBuyers({
    target: { farmIds: ['farm-1'], productCodes: ['shiitake'], location: farm },
    candidates,
    purchases: [
      { buyerOrgId: 'bought', productCode: 'shiitake', grams: 1_200_000 },
      { buyerOrgId: 'similar', productCode: 'enoki', grams: 300_000 },
    ],
    openDemand: [],
    pairings: [{ enterpriseOrgId: 'paired', farmIds: ['farm-1'], villages: [] }],
    windowDays: 30,
  });

  it('puts the buyer with matching history first, the one with nothing last', () => {
    expect(ranked.map((r) => r.orgId)).toEqual(['bought', 'paired', 'similar', 'none']);
  });

  it('says why, in Chinese and English', () => {
    expect(reasonText(ranked[0].reasons)).toBe('近30天买过1.2吨鲜香菇，18公里');
    expect(reasonText(ranked[0].reasons, 'en')).toBe('bought 1.2 t of Fresh shiitake in the last 30 days, 18 km');
    expect(reasonText(ranked[1].reasons)).toBe('结对帮扶企业');
    expect(reasonText(ranked[2].reasons)).toBe('近30天买过300公斤菌菇');
  });
});

describe('remediation plans and outcomes', () => {
  it('is done when every task is done and reopens when one is undone; overdue tasks are listed', () => {
    const made = newPlan(
      {
        id: 'plan-1',
        title: '冷链短板专项整治',
        tasks: [
          { title: '对接冷库', owner: '张干事', dueOn: '2026-12-05' },
          { title: '培训', owner: '李干事', dueOn: '2026-12-20' },
        ],
        by: 'staff-1',
      },
      DEC1,
    );
    if (!made.ok) throw new Error('plan');
    expect(overdueTasks(made.plan, '2026-12-10').map((t) => t.title)).toEqual(['对接冷库']);
    const one = setTaskDone(made.plan, 0, true, days(2));
    const both = one.ok ? setTaskDone(one.plan, 1, true, days(3)) : one;
    if (!both.ok) throw new Error('tasks');
    expect(both.plan.status).toBe('done');
    const undone = setTaskDone(both.plan, 1, false, days(4));
    expect(undone.ok && undone.plan.status).toBe('active');
    expect(setTaskDone(made.plan, 5, true, DEC1)).toMatchObject({ ok: false, reason: 'NO_SUCH_TASK' });
    expect(outcomeLinks({ orderIds: ['o1', 'o1'] })).toEqual({
      ok: true,
      links: { problemIds: [], planIds: [], orderIds: ['o1'], campaignIds: [] },
    });
  });
});

describe('the programme dashboard', () => {
  it('counts visits, problems by how they were solved, sales once per order and sell-through before/after', () => {
    const board = programmeDashboard({
      from: '2026-12-01',
      to: '2026-12-31',
      visits: [
        { orgId: 'farm-1', visitedOn: '2026-12-02' },
        { orgId: 'farm-1', visitedOn: '2026-12-03' },
        { orgId: 'farm-2', visitedOn: '2026-11-30' },
      ],
      problems: [
        { orgId: 'farm-1', createdAt: days(1), status: 'resolved', resolvedOnSite: true },
        { orgId: 'farm-1', createdAt: days(1), status: 'resolved' },
        { orgId: 'farm-1', createdAt: days(2), status: 'open' },
      ],
      plans: [{ createdAt: days(2), status: 'active' }],
      outcomes: [{ achievedOn: '2026-12-09' }, { achievedOn: '2027-01-02' }],
      sales: [
        {
          orderId: 'o1',
          at: days(1),
          valueFen: 500,
          grams: 1000,
          buyerOrgId: 'b',
          sellerOrgId: 'farm-1',
          village: '太平村',
        },
        {
          orderId: 'o1',
          at: days(1),
          valueFen: 500,
          grams: 1000,
          buyerOrgId: 'b',
          sellerOrgId: 'farm-1',
          village: '太平村',
        },
        { orderId: 'o2', at: days(2), valueFen: 300, grams: 500, buyerOrgId: 'c', sellerOrgId: 'farm-3' },
      ],
      sellThrough: [
        { farmId: 'farm-1', date: '2026-11-20', soldGrams: 600, spoiledGrams: 400 },
        { farmId: 'farm-1', date: '2026-12-05', soldGrams: 900, spoiledGrams: 100 },
      ],
    });
    expect(board).toMatchObject({
      visits: 2,
      enterprisesVisited: 1,
      problemsRaised: 3,
      problemsSolvedOnSite: 1,
      problemsSolvedLater: 1,
      problemsOpen: 1,
      plans: 1,
      outcomes: 1,
      salesValueFen: 800,
      salesGrams: 1500,
      salesOrders: 2,
      enterprisesHelped: 2,
      villagesHelped: 1,
      farms: [{ farmId: 'farm-1', beforePermille: 600, duringPermille: 900 }],
    });
    expect(board.daily).toEqual([
      { date: '2026-12-02', valueFen: 500, grams: 1000 },
      { date: '2026-12-03', valueFen: 300, grams: 500 },
    ]);
  });
});
