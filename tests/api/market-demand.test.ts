/** Demand, sell offers, standing orders and the farm outlook over real HTTP. */
import { shanghaiDate, addDays, weekdayOf } from '../../shared/domain/calendar';
import { aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';

let app: TestApp;
let farm: Member;
let cook: Member;
beforeAll(async () => {
  app = await startTestApp();
  farm = await aFarm(app);
  cook = await aRestaurant(app);
});
afterAll(async () => {
  await app.close();
});

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

interface ErrorBody {
  error: { code: string; fields?: Record<string, string> };
}

describe('demand and sell offers', () => {
  it('a restaurant posts demand, a farm answers with a lot, the restaurant accepts: one order', async () => {
    const demand = await cook.agent.post<{ id: string; status: string }>('/api/demand', {
      productCode: 'enoki',
      quantityGrams: 30_000,
      maxPriceFenPerKg: 900,
      neededBy: inHours(24),
    });
    expect(demand.status).toBe(201);
    expect(demand.body.status).toBe('open');
    expect(
      (
        await farm.agent.post<ErrorBody>('/api/demand', {
          productCode: 'enoki',
          quantityGrams: 1,
          maxPriceFenPerKg: 1,
          neededBy: inHours(1),
        })
      ).status,
    ).toBe(403);

    const listed = await farm.agent.get<{ items: { id: string }[] }>('/api/demand?productCode=enoki');
    expect(listed.body.items.map((d) => d.id)).toContain(demand.body.id);

    const lot = await farm.agent.post<{ id: string }>('/api/lots', {
      productCode: 'enoki',
      quantityGrams: 200_000,
      harvestedAt: inHours(-1),
      storage: 'cold',
      reservePriceFenPerKg: 700,
      askPriceFenPerKg: 950,
    });
    const shiitake = await farm.agent.post<{ id: string }>('/api/lots', {
      productCode: 'shiitake',
      quantityGrams: 200_000,
      harvestedAt: inHours(-1),
      storage: 'cold',
      reservePriceFenPerKg: 700,
      askPriceFenPerKg: 950,
    });
    const wrong = await farm.agent.post<ErrorBody>(`/api/demand/${demand.body.id}/offers`, {
      lotId: shiitake.body.id,
      quantityGrams: 30_000,
      priceFenPerKg: 880,
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('WRONG_PRODUCT');

    const offer = await farm.agent.post<{ id: string; kind: string; status: string; turn: string; demandId: string }>(
      `/api/demand/${demand.body.id}/offers`,
      { lotId: lot.body.id, quantityGrams: 30_000, priceFenPerKg: 880 },
    );
    expect(offer.status).toBe(201);
    expect(offer.body).toMatchObject({ kind: 'sell_offer', status: 'open', turn: 'buyer', demandId: demand.body.id });

    const accepted = await cook.agent.post<{ order: { quantityGrams: number; priceFenPerKg: number; status: string } }>(
      `/api/offers/${offer.body.id}/accept`,
      {},
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.order).toMatchObject({ quantityGrams: 30_000, priceFenPerKg: 880, status: 'confirmed' });

    // The order bought all 30 kg: the request is filled, gone from the farms' list, and can no longer be withdrawn.
    const mine = await cook.agent.get<{ items: { id: string; status: string; filledGrams: number }[] }>(
      '/api/demand?mine=true',
    );
    expect(mine.body.items.find((d) => d.id === demand.body.id)).toMatchObject({
      status: 'filled',
      filledGrams: 30_000,
    });
    expect(
      (await farm.agent.get<{ items: { id: string }[] }>('/api/demand?productCode=enoki')).body.items.map((d) => d.id),
    ).not.toContain(demand.body.id);
    const withdraw = await cook.agent.post<ErrorBody>(`/api/demand/${demand.body.id}/withdraw`, {});
    expect([withdraw.status, withdraw.body.error.code]).toEqual([422, 'DEMAND_CLOSED']);
  });

  it('a restaurant withdraws an open request; farms no longer see it', async () => {
    const demand = await cook.agent.post<{ id: string }>('/api/demand', {
      productCode: 'enoki',
      quantityGrams: 30_000,
      maxPriceFenPerKg: 900,
      neededBy: inHours(24),
    });
    expect((await cook.agent.post<{ status: string }>(`/api/demand/${demand.body.id}/withdraw`, {})).body.status).toBe(
      'withdrawn',
    );
    expect(
      (await farm.agent.get<{ items: { id: string }[] }>('/api/demand?productCode=enoki')).body.items.map((d) => d.id),
    ).not.toContain(demand.body.id);
  });
});

interface DemandReply {
  id: string;
  status: string;
  neededBy: string;
  deliverFrom?: string;
  deliveryRequired: boolean;
  deliveryAddress?: string;
  note?: string;
  filledGrams: number;
}

const request = (over: Record<string, unknown> = {}) => ({
  productCode: 'enoki',
  quantityGrams: 30_000,
  maxPriceFenPerKg: 900,
  neededBy: inHours(24),
  ...over,
});

describe("a purchase request's delivery window and address", () => {
  it('are stored as fields and returned to the restaurant and to farms, the note kept for free text', async () => {
    const deliverFrom = inHours(22);
    const posted = await cook.agent.post<DemandReply>(
      '/api/demand',
      request({
        deliverFrom,
        deliveryRequired: true,
        deliveryAddress: '南昌市东湖区八一大道 100 号 后门',
        note: '要小朵的',
      }),
    );
    expect(posted.status).toBe(201);
    const expected = {
      deliverFrom,
      deliveryRequired: true,
      deliveryAddress: '南昌市东湖区八一大道 100 号 后门',
      note: '要小朵的',
      status: 'open',
      filledGrams: 0,
    };
    expect(posted.body).toMatchObject(expected);
    const seen = (
      await farm.agent.get<{ items: DemandReply[] }>('/api/demand?productCode=enoki&limit=200')
    ).body.items.find((d) => d.id === posted.body.id);
    expect(seen).toMatchObject(expected);
  });

  it('refuses a window that does not open before neededBy, naming deliverFrom', async () => {
    const neededBy = inHours(24);
    for (const deliverFrom of [neededBy, inHours(30)]) {
      const refused = await cook.agent.post<ErrorBody>('/api/demand', request({ neededBy, deliverFrom }));
      expect([refused.status, refused.body.error.code, Object.keys(refused.body.error.fields ?? {})]).toEqual([
        422,
        'WINDOW_ENDS_BEFORE_START',
        ['deliverFrom'],
      ]);
    }
    const garbled = await cook.agent.post<ErrorBody>('/api/demand', request({ deliverFrom: 'tomorrow morning' }));
    expect([garbled.status, Object.keys(garbled.body.error.fields ?? {})]).toEqual([400, ['deliverFrom']]);
  });

  it('wants an address when the farm delivers, of at most 200 characters', async () => {
    const missing = await cook.agent.post<ErrorBody>('/api/demand', request({ deliveryRequired: true }));
    expect([missing.status, missing.body.error.code, Object.keys(missing.body.error.fields ?? {})]).toEqual([
      422,
      'DELIVERY_ADDRESS_REQUIRED',
      ['deliveryAddress'],
    ]);
    const long = await cook.agent.post<ErrorBody>(
      '/api/demand',
      request({ deliveryRequired: true, deliveryAddress: '路'.repeat(201) }),
    );
    expect([long.status, Object.keys(long.body.error.fields ?? {})]).toEqual([400, ['deliveryAddress']]);
    const collect = await cook.agent.post<DemandReply>('/api/demand', request());
    expect(collect.status).toBe(201);
    expect(collect.body.deliveryRequired).toBe(false);
    expect(collect.body).not.toHaveProperty('deliveryAddress');
  });
});

describe('filling a purchase request', () => {
  const lotBody = {
    productCode: 'enoki',
    quantityGrams: 200_000,
    harvestedAt: inHours(-1),
    storage: 'cold',
    reservePriceFenPerKg: 700,
    askPriceFenPerKg: 950,
  };
  const mineNow = async (who: Member, id: string) =>
    (await who.agent.get<{ items: DemandReply[] }>('/api/demand?mine=true&limit=200')).body.items.find(
      (d) => d.id === id,
    );
  const openIds = async () =>
    (await farm.agent.get<{ items: DemandReply[] }>('/api/demand?productCode=enoki&limit=200')).body.items.map(
      (d) => d.id,
    );

  it('counts accepted sell offers: partly filled stays open, the rest fills it, and a further offer is DEMAND_CLOSED', async () => {
    const { farm: grower, cook: diner } = await aPair();
    const demand = await diner.agent.post<DemandReply>('/api/demand', request());
    const lot = await grower.agent.post<{ id: string }>('/api/lots', lotBody);
    const offer = (grams: number) =>
      grower.agent.post<{ id: string } & ErrorBody>(`/api/demand/${demand.body.id}/offers`, {
        lotId: lot.body.id,
        quantityGrams: grams,
        priceFenPerKg: 880,
      });

    const first = await offer(10_000);
    expect((await diner.agent.post(`/api/offers/${first.body.id}/accept`, {})).status).toBe(200);
    expect(await mineNow(diner, demand.body.id)).toMatchObject({ status: 'open', filledGrams: 10_000 });
    expect(await openIds()).toContain(demand.body.id);

    const second = await offer(20_000);
    expect((await diner.agent.post(`/api/offers/${second.body.id}/accept`, {})).status).toBe(200);
    expect(await mineNow(diner, demand.body.id)).toMatchObject({ status: 'filled', filledGrams: 30_000 });
    expect(await openIds()).not.toContain(demand.body.id);

    const late = await offer(5_000);
    expect([late.status, late.body.error.code]).toEqual([422, 'DEMAND_CLOSED']);
  });

  it('when the restaurant cancels an order that filled the request, it reopens short by that order and farms see it again', async () => {
    const { farm: grower, cook: diner } = await aPair();
    const demand = await diner.agent.post<DemandReply>('/api/demand', request());
    const lot = await grower.agent.post<{ id: string }>('/api/lots', lotBody);
    const offer = await grower.agent.post<{ id: string }>(`/api/demand/${demand.body.id}/offers`, {
      lotId: lot.body.id,
      quantityGrams: 30_000,
      priceFenPerKg: 880,
    });
    const accepted = await diner.agent.post<{ order: { id: string } }>(`/api/offers/${offer.body.id}/accept`, {});
    expect(await mineNow(diner, demand.body.id)).toMatchObject({ status: 'filled', filledGrams: 30_000 });

    const cancelled = await diner.agent.post<{ status: string }>(`/api/orders/${accepted.body.order.id}/cancel`, {
      reason: '厨房改菜单',
    });
    expect([cancelled.status, cancelled.body.status]).toEqual([200, 'cancelled']);
    expect(await mineNow(diner, demand.body.id)).toMatchObject({ status: 'open', filledGrams: 0 });
    expect(await openIds()).toContain(demand.body.id);
  });

  it("when the restaurant accepts two farms' offers at once, both count", async () => {
    const diner = await aRestaurant(app);
    const growers = [await aFarm(app), await aFarm(app)];
    const demand = await diner.agent.post<DemandReply>('/api/demand', request({ quantityGrams: 40_000 }));
    const offers = await Promise.all(
      growers.map(async (g) => {
        const lot = await g.agent.post<{ id: string }>('/api/lots', lotBody);
        return (
          await g.agent.post<{ id: string }>(`/api/demand/${demand.body.id}/offers`, {
            lotId: lot.body.id,
            quantityGrams: 20_000,
            priceFenPerKg: 880,
          })
        ).body.id;
      }),
    );
    const accepts = await Promise.all(offers.map((id) => diner.agent.post(`/api/offers/${id}/accept`, {})));
    expect(accepts.map((a) => a.status)).toEqual([200, 200]);
    expect(await mineNow(diner, demand.body.id)).toMatchObject({ status: 'filled', filledGrams: 40_000 });
  });
});

interface StandingOrderReply {
  id: string;
  status: string;
  deliverBy: string;
  declineReason?: string;
  cancelledBy?: string;
  cancelReason?: string;
  buyerName?: string;
  steps: { status: string; side: string; userId: string; reason?: string }[];
}
type OutlookReply = { days: { date: string; lines: { productCode: string; committedGrams: number }[] }[] };

/** A farm of its own per test, so one test's commitments never show in another's outlook. */
async function aPair() {
  return { farm: await aFarm(app), cook: await aRestaurant(app) };
}

const supperTerms = (sellerOrgId: string) => ({
  productCode: 'shiitake',
  gramsPerOccurrence: 50_000,
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  priceFenPerKg: 1200,
  startDate: shanghaiDate(new Date()),
  tolerance: { extraPercent: 20, discountPercent: 10 },
  sellerOrgId,
});

const committedShiitake = (outlook: OutlookReply) =>
  outlook.days.map((d) => d.lines.find((l) => l.productCode === 'shiitake')?.committedGrams ?? 0);

async function putCapacity(member: Member) {
  const put = await member.agent.request('PUT', '/api/capacity', {
    body: {
      production: [{ productCode: 'shiitake', dailyGrams: 2_000_000 }],
      coldStorageGrams: 1_000_000,
      dispatchGramsPerDay: 1_500_000,
      pickup: { name: '湾里冷库', address: '南昌市湾里区' },
    },
  });
  expect(put.status).toBe(200);
}

describe('standing orders and the outlook', () => {
  it('expands "50 kg shiitake every Tuesday and Friday, +20% at 10% off" once the farm accepts, and counts it in the farm\'s outlook', async () => {
    const today = shanghaiDate(new Date());
    const so = await cook.agent.post<StandingOrderReply>('/api/standing-orders', {
      ...supperTerms(farm.organisationId),
      weekdays: [2, 5],
    });
    expect(so.status).toBe(201);
    expect(so.body.deliverBy).toBe('10:00');
    expect(so.body.status).toBe('proposed');
    // A proposal has no occurrences yet: nothing is agreed.
    expect(
      (await farm.agent.get<{ items: unknown[] }>(`/api/standing-orders/${so.body.id}/occurrences?days=14`)).body.items,
    ).toEqual([]);
    expect(
      (await farm.agent.post<StandingOrderReply>(`/api/standing-orders/${so.body.id}/accept`, {})).body.status,
    ).toBe('active');

    const occ = await farm.agent.get<{
      items: {
        date: string;
        baseGrams: number;
        maxExtraGrams: number;
        fill: { extraPriceFenPerKg: number; totalFen: number };
      }[];
    }>(`/api/standing-orders/${so.body.id}/occurrences?days=14`);
    expect(occ.status).toBe(200);
    expect(occ.body.items).toHaveLength(4);
    for (const o of occ.body.items) expect([2, 5]).toContain(weekdayOf(o.date));
    expect(occ.body.items[0]).toMatchObject({
      baseGrams: 50_000,
      maxExtraGrams: 10_000,
      fill: { extraPriceFenPerKg: 1080, totalFen: 70_800 },
    });

    expect((await farm.agent.get('/api/capacity/outlook')).status).toBe(404);
    await putCapacity(farm);
    const outlook = await farm.agent.get<OutlookReply>('/api/capacity/outlook');
    expect(outlook.body.days.map((d) => d.date)).toEqual(Array.from({ length: 7 }, (_, i) => addDays(today, i)));
    const standingDays = outlook.body.days.filter((d) => [2, 5].includes(weekdayOf(d.date)));
    for (const d of standingDays)
      expect(d.lines.find((l) => l.productCode === 'shiitake')?.committedGrams).toBeGreaterThanOrEqual(50_000);

    expect(
      (
        await cook.agent.request('PUT', '/api/capacity', {
          body: { production: [], coldStorageGrams: 0, dispatchGramsPerDay: 0 },
        })
      ).status,
    ).toBe(403);
    expect(
      (await cook.agent.post<StandingOrderReply>(`/api/standing-orders/${so.body.id}/cancel`, {})).body,
    ).toMatchObject({ status: 'cancelled', cancelledBy: 'buyer' });
  });

  it("a proposal does not count in the farm's outlook until the farm accepts it; a declined one never does", async () => {
    const { farm: grower, cook: diner } = await aPair();
    await putCapacity(grower);
    const proposed = await diner.agent.post<StandingOrderReply>(
      '/api/standing-orders',
      supperTerms(grower.organisationId),
    );
    const toDecline = await diner.agent.post<StandingOrderReply>(
      '/api/standing-orders',
      supperTerms(grower.organisationId),
    );
    expect(committedShiitake((await grower.agent.get<OutlookReply>('/api/capacity/outlook')).body)).toEqual([
      0, 0, 0, 0, 0, 0, 0,
    ]);

    // The farm sees both proposals, with the restaurant's name.
    const listed = await grower.agent.get<{ items: StandingOrderReply[] }>('/api/standing-orders?status=proposed');
    expect(listed.body.items.map((s) => s.id).sort()).toEqual([proposed.body.id, toDecline.body.id].sort());
    expect(listed.body.items[0].buyerName).toEqual(expect.any(String));
    expect((await grower.agent.get<ErrorBody>('/api/standing-orders?status=agreed')).status).toBe(400);

    const declined = await grower.agent.post<StandingOrderReply>(`/api/standing-orders/${toDecline.body.id}/decline`, {
      reason: '周末不采摘',
    });
    expect(declined.body).toMatchObject({ status: 'declined', declineReason: '周末不采摘' });
    expect(declined.body.steps).toEqual([
      expect.objectContaining({ status: 'declined', side: 'seller', userId: grower.userId, reason: '周末不采摘' }),
    ]);
    expect(
      (await grower.agent.post<StandingOrderReply>(`/api/standing-orders/${proposed.body.id}/accept`, {})).body.status,
    ).toBe('active');

    expect(committedShiitake((await grower.agent.get<OutlookReply>('/api/capacity/outlook')).body)).toEqual([
      50_000, 50_000, 50_000, 50_000, 50_000, 50_000, 50_000,
    ]);
    // The restaurant reads the outcome and the reason in its own list.
    const mine = await diner.agent.get<{ items: StandingOrderReply[] }>('/api/standing-orders');
    expect(Object.fromEntries(mine.body.items.map((s) => [s.id, s.status]))).toEqual({
      [proposed.body.id]: 'active',
      [toDecline.body.id]: 'declined',
    });
  });

  it('only the named farm accepts or declines; the restaurant and other farms are refused; decided ones stay decided', async () => {
    const { farm: grower, cook: diner } = await aPair();
    const stranger = await aFarm(app);
    const so = await diner.agent.post<StandingOrderReply>('/api/standing-orders', supperTerms(grower.organisationId));
    for (const [who, path] of [
      [diner, 'accept'],
      [stranger, 'accept'],
      [stranger, 'decline'],
    ] as const) {
      const refused = await who.agent.post<ErrorBody>(`/api/standing-orders/${so.body.id}/${path}`, {
        ...(path === 'decline' ? { reason: '不要' } : {}),
      });
      expect(refused.status).toBe(403);
    }
    expect(
      (await stranger.agent.post<ErrorBody>(`/api/standing-orders/${so.body.id}/cancel`, { reason: '不要' })).status,
    ).toBe(403);
    expect(
      (await grower.agent.get<{ items: StandingOrderReply[] }>('/api/standing-orders')).body.items.find(
        (s) => s.id === so.body.id,
      )?.status,
    ).toBe('proposed');

    const noReason = await grower.agent.post<ErrorBody>(`/api/standing-orders/${so.body.id}/decline`, { reason: '  ' });
    expect([noReason.status, noReason.body.error.fields?.reason]).toEqual([400, expect.any(String)]);
    // The farm turns a proposal down with decline, not cancel.
    expect(
      (await grower.agent.post<ErrorBody>(`/api/standing-orders/${so.body.id}/cancel`, { reason: '不做了' })).status,
    ).toBe(409);

    expect((await grower.agent.post(`/api/standing-orders/${so.body.id}/accept`, {})).status).toBe(200);
    const again = await grower.agent.post<ErrorBody>(`/api/standing-orders/${so.body.id}/decline`, {
      reason: '改主意了',
    });
    expect([again.status, again.body.error.code]).toEqual([409, 'WRONG_STATUS']);
  });

  it("the farm may end an agreed standing order only with a reason, and it is recorded as the farm's doing", async () => {
    const { farm: grower, cook: diner } = await aPair();
    await putCapacity(grower);
    const so = await diner.agent.post<StandingOrderReply>('/api/standing-orders', supperTerms(grower.organisationId));
    await grower.agent.post(`/api/standing-orders/${so.body.id}/accept`, {});
    const silent = await grower.agent.post<ErrorBody>(`/api/standing-orders/${so.body.id}/cancel`, {});
    expect([silent.status, silent.body.error.code, Object.keys(silent.body.error.fields ?? {})]).toEqual([
      422,
      'REASON_REQUIRED',
      ['reason'],
    ]);

    const ended = await grower.agent.post<StandingOrderReply>(`/api/standing-orders/${so.body.id}/cancel`, {
      reason: '冷库检修',
    });
    expect(ended.body).toMatchObject({ status: 'cancelled', cancelledBy: 'seller', cancelReason: '冷库检修' });
    expect(ended.body.steps.map((s) => [s.status, s.side, s.userId])).toEqual([
      ['active', 'seller', grower.userId],
      ['cancelled', 'seller', grower.userId],
    ]);
    expect(committedShiitake((await grower.agent.get<OutlookReply>('/api/capacity/outlook')).body)).toEqual([
      0, 0, 0, 0, 0, 0, 0,
    ]);
    expect((await diner.agent.post<ErrorBody>(`/api/standing-orders/${so.body.id}/cancel`, {})).status).toBe(409);
  });

  it('when the farm accepts while the restaurant cancels, exactly one of them happens', async () => {
    const { farm: grower, cook: diner } = await aPair();
    for (let round = 0; round < 5; round++) {
      const so = await diner.agent.post<StandingOrderReply>('/api/standing-orders', supperTerms(grower.organisationId));
      const [accept, cancel] = await Promise.all([
        grower.agent.post<StandingOrderReply & ErrorBody>(`/api/standing-orders/${so.body.id}/accept`, {}),
        diner.agent.post<StandingOrderReply & ErrorBody>(`/api/standing-orders/${so.body.id}/cancel`, {}),
      ]);
      expect([accept.status, cancel.status].sort()).toEqual([200, 409]);
      const winner = accept.status === 200 ? accept.body : cancel.body;
      const loser = accept.status === 200 ? cancel.body : accept.body;
      expect(loser.error.code).toBe('WRONG_STATUS');
      const stored = (await diner.agent.get<{ items: StandingOrderReply[] }>('/api/standing-orders')).body.items.find(
        (s) => s.id === so.body.id,
      );
      expect(stored?.status).toBe(winner.status);
      expect(stored?.steps).toHaveLength(1);
    }
  }, 60_000);

  it('both parties are notified on their organisation channel, step by step', async () => {
    const { farm: grower, cook: diner } = await aPair();
    const so = await diner.agent.post<StandingOrderReply>('/api/standing-orders', supperTerms(grower.organisationId));
    await grower.agent.post(`/api/standing-orders/${so.body.id}/accept`, {});
    await grower.agent.post(`/api/standing-orders/${so.body.id}/cancel`, { reason: '冷库检修' });
    // Notifications are stored as they are published, just after the reply: read until all three are in.
    const stepsHeardBy = async (member: Member) => {
      for (let attempt = 0; ; attempt++) {
        const feed = await member.agent.get<{
          items: { payload: { type: string; data: { standingOrder?: { id: string } } } }[];
        }>('/api/notifications?channel=org');
        const steps = feed.body.items
          .filter((n) => n.payload.data.standingOrder?.id === so.body.id)
          .map((n) => n.payload.type);
        if (steps.length >= 3 || attempt === 50) return steps;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    for (const member of [grower, diner]) {
      expect(await stepsHeardBy(member)).toEqual([
        'standing-order:proposed',
        'standing-order:accepted',
        'standing-order:cancelled',
      ]);
    }
  });
});
