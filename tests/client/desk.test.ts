/** The desk's DOM-free stores (client/src/state/desk*.ts), against a scripted fake of the desk API. */
import { fail, ok } from '../../client/src/state/api-result';
import { DeskStore, draftValueFen } from '../../client/src/state/desk';
import type { DeskApi } from '../../client/src/state/desk-api';
import { ledgerCsvHref } from '../../client/src/state/desk-api';
import { checkRange, defaultRange, DeskLedgerStore } from '../../client/src/state/desk-ledger';
import { DeskProblemsStore, nextActions, parseOrderIds } from '../../client/src/state/desk-problems';
import type { BrokeredOfferRow, LedgerReport, Proposal, SellThroughReport } from '../../client/src/state/desk-types';
import type { MarketUpdate } from '../../shared/schemas/market';

const aProposal = (overrides: Partial<Proposal> = {}): Proposal => ({
  lotId: 'lot1',
  demandId: 'dem1',
  sellerOrgId: 'farm1',
  sellerName: '绿源食用菌合作社',
  buyerOrgId: 'rest1',
  buyerName: '赣江渔火',
  productCode: 'shiitake',
  quantityGrams: 50_000,
  priceFenPerKg: 1300,
  totalFen: 65_000,
  distanceKm: 12.5,
  deliverAt: '2026-11-27T02:00:00.000Z',
  urgent: true,
  ...overrides,
});

const notUsed = () => Promise.reject(new Error('not used in this test'));

function fakeApi(overrides: Partial<DeskApi> = {}): DeskApi & { sent: unknown[]; ledgerQueries: unknown[] } {
  const sent: unknown[] = [];
  const ledgerQueries: unknown[] = [];
  return {
    sent,
    ledgerQueries,
    atRisk: () =>
      Promise.resolve(
        ok({
          generatedAt: '2026-11-26T02:00:00.000Z',
          items: [],
          nextCursor: null,
          surplusFarms: [],
          unansweredDemand: [],
        }),
      ),
    findBuyers: (lotId) =>
      Promise.resolve(ok({ lotId, proposals: [aProposal()], objectiveFen: 0, candidates: 1, rejected: {} })),
    matchAll: () =>
      Promise.resolve(
        ok({
          proposals: [aProposal(), aProposal({ lotId: 'lot2', demandId: 'dem2' })],
          objectiveFen: 0,
          candidates: 2,
          rejected: {},
        }),
      ),
    send: (body) => {
      sent.push(body);
      return Promise.resolve(ok({ offerId: `offer${sent.length}` }));
    },
    brokeredOffers: () => Promise.resolve(ok({ items: [], nextCursor: null })),
    ledger: (q) => {
      ledgerQueries.push(q);
      return Promise.resolve(
        ok({
          from: q.from ?? '',
          to: q.to ?? '',
          period: q.period ?? 'day',
          total: {} as LedgerReport['total'],
          periods: [],
          items: [],
          nextCursor: null,
          truncated: false,
        }),
      );
    },
    sellThrough: (q) =>
      Promise.resolve(
        ok({ from: q.from ?? '', to: q.to ?? '', period: q.period ?? 'week', farms: [] } as SellThroughReport),
      ),
    problems: notUsed,
    createProblem: notUsed,
    updateProblem: notUsed,
    transition: notUsed,
    link: notUsed,
    visits: notUsed,
    createVisit: notUsed,
    ...overrides,
  };
}

const offerEvent = (id: string, status: string, extra: Record<string, unknown> = {}): MarketUpdate => ({
  type: status === 'accepted' ? 'offer:accepted' : 'offer:rejected',
  offerId: id,
  data: { offer: { id, status, ...extra } },
  at: '2026-11-26T03:00:00.000Z',
});

describe('the brokering desk store', () => {
  it('turns find-buyers proposals into selected drafts the broker can edit; the value follows the edit', async () => {
    const desk = new DeskStore(fakeApi());
    await desk.findBuyers('lot1');
    expect(desk.state.plan).toEqual({ kind: 'lot', lotId: 'lot1' });
    const [draft] = desk.state.drafts;
    expect(draft).toMatchObject({
      key: 'lot1:dem1',
      selected: true,
      quantityGrams: 50_000,
      priceFenPerKg: 1300,
      status: 'draft',
    });
    desk.edit(draft.key, { priceFenPerKg: 1280, quantityGrams: 40_000 });
    expect(draftValueFen(desk.state.drafts[0])).toBe(51_200);
  });

  it('ignores an edit to zero, negative or fractional grams or fen', async () => {
    const desk = new DeskStore(fakeApi());
    await desk.findBuyers('lot1');
    desk.edit('lot1:dem1', { quantityGrams: 0, priceFenPerKg: 12.5 });
    expect(desk.state.drafts[0]).toMatchObject({ quantityGrams: 50_000, priceFenPerKg: 1300 });
  });

  it('sends only the selected drafts, as edited, and logs each as a deal', async () => {
    const api = fakeApi();
    const desk = new DeskStore(api);
    await desk.matchAll();
    desk.toggle('lot2:dem2', false);
    desk.edit('lot1:dem1', { priceFenPerKg: 1250 });
    const outcome = await desk.sendSelected(() => new Date('2026-11-26T02:30:00.000Z'));
    expect(outcome).toEqual({ sent: 1, failed: 0 });
    expect(api.sent).toEqual([{ lotId: 'lot1', demandId: 'dem1', quantityGrams: 50_000, priceFenPerKg: 1250 }]);
    expect(desk.state.deals).toEqual([
      expect.objectContaining({
        offerId: 'offer1',
        status: 'open',
        priceFenPerKg: 1250,
        sentAt: '2026-11-26T02:30:00.000Z',
      }),
    ]);
    expect(desk.state.drafts.map((d) => d.status)).toEqual(['sent', 'draft']);
  });

  it('when the market refuses one proposal, keeps its reason on the draft and still sends the others', async () => {
    let n = 0;
    const api = fakeApi({
      send: () =>
        ++n === 1
          ? Promise.resolve(fail({ status: 409, code: 'MARKET_REFUSED' }))
          : Promise.resolve(ok({ offerId: 'offer2' })),
    });
    const desk = new DeskStore(api);
    await desk.matchAll();
    expect(await desk.sendSelected()).toEqual({ sent: 1, failed: 1 });
    expect(desk.state.drafts[0]).toMatchObject({
      status: 'failed',
      error: expect.objectContaining({ code: 'MARKET_REFUSED' }),
    });
    expect(desk.state.deals.map((d) => d.offerId)).toEqual(['offer2']);
  });

  it('follows a sent offer live: accepted, then its order confirmed with the order total', async () => {
    const desk = new DeskStore(fakeApi());
    await desk.findBuyers('lot1');
    await desk.sendSelected();
    expect(desk.applyMarketUpdate(offerEvent('offer1', 'accepted', { orderId: 'order9' }))).toBe(true);
    desk.applyMarketUpdate({
      type: 'order:confirmed',
      orderId: 'order9',
      data: { order: { id: 'order9', offerId: 'offer1', status: 'confirmed', totalFen: 65_000 } },
      at: '2026-11-26T03:00:01.000Z',
    });
    expect(desk.state.deals[0]).toMatchObject({
      status: 'accepted',
      orderId: 'order9',
      orderStatus: 'confirmed',
      orderTotalFen: 65_000,
    });
  });

  it('reloads the deal log from the server (newest first), keeps deals sent since, and still follows them live', async () => {
    const row = (offerId: string, sentAt: string, extra: Partial<BrokeredOfferRow> = {}): BrokeredOfferRow => ({
      offerId,
      lotId: 'lot1',
      demandId: 'dem1',
      productCode: 'shiitake',
      sellerOrgId: 'farm1',
      sellerName: '绿源食用菌合作社',
      buyerOrgId: 'rest1',
      buyerName: '赣江渔火',
      quantityGrams: 50_000,
      priceFenPerKg: 1250,
      status: 'open',
      orderId: null,
      sentAt,
      ...extra,
    });
    const items = [
      row('old2', '2026-11-26T01:00:00.000Z', { status: 'accepted', orderId: 'order7' }),
      row('old1', '2026-11-25T09:00:00.000Z'),
    ];
    const desk = new DeskStore(fakeApi({ brokeredOffers: () => Promise.resolve(ok({ items, nextCursor: null })) }));
    await desk.findBuyers('lot1');
    await desk.sendSelected(() => new Date('2026-11-26T02:30:00.000Z'));
    await desk.loadDeals();
    expect(desk.state.deals.map((d) => d.offerId)).toEqual(['offer1', 'old2', 'old1']);
    expect(desk.state.deals[1]).toMatchObject({
      status: 'accepted',
      orderId: 'order7',
      orderStatus: null,
      proposal: { productCode: 'shiitake', buyerName: '赣江渔火' },
    });

    desk.applyMarketUpdate(offerEvent('old1', 'rejected'));
    expect(desk.state.deals[2].status).toBe('rejected');
    desk.applyMarketUpdate({
      type: 'order:updated',
      orderId: 'order7',
      data: { order: { id: 'order7', offerId: 'old2', status: 'dispatched', totalFen: 62_500 } },
      at: '2026-11-26T03:00:01.000Z',
    });
    // a later reload keeps what the live event said of the order
    await desk.loadDeals();
    expect(desk.state.deals[1]).toMatchObject({ orderId: 'order7', orderStatus: 'dispatched', orderTotalFen: 62_500 });
  });

  it('after a reload (a fresh store) the deal log shows the order status and total the server sends', async () => {
    const items: BrokeredOfferRow[] = [
      {
        offerId: 'o9',
        lotId: 'lot1',
        demandId: 'dem1',
        productCode: 'shiitake',
        sellerOrgId: 'farm1',
        sellerName: '绿源食用菌合作社',
        buyerOrgId: 'rest1',
        buyerName: '赣江渔火',
        quantityGrams: 50_000,
        priceFenPerKg: 1250,
        status: 'accepted',
        orderId: 'order9',
        orderStatus: 'delivered',
        orderTotalFen: 62_500,
        sentAt: '2026-11-26T01:00:00.000Z',
      },
    ];
    const desk = new DeskStore(fakeApi({ brokeredOffers: () => Promise.resolve(ok({ items, nextCursor: null })) }));
    await desk.loadDeals();
    expect(desk.state.deals[0]).toMatchObject({ orderId: 'order9', orderStatus: 'delivered', orderTotalFen: 62_500 });
  });

  it('says why the deal log could not load', async () => {
    const desk = new DeskStore(
      fakeApi({ brokeredOffers: () => Promise.resolve(fail({ status: 403, code: 'FORBIDDEN' })) }),
    );
    await desk.loadDeals();
    expect(desk.state.dealsError).toMatchObject({ code: 'FORBIDDEN' });
    expect(desk.state.deals).toEqual([]);
  });

  it('leaves deals alone for offers it did not send, and ignores unknown statuses', async () => {
    const desk = new DeskStore(fakeApi());
    await desk.findBuyers('lot1');
    await desk.sendSelected();
    desk.applyMarketUpdate(offerEvent('someone-else', 'rejected'));
    desk.applyMarketUpdate(offerEvent('offer1', 'exploded'));
    expect(desk.state.deals[0].status).toBe('open');
  });

  it('shows the reason when find-buyers fails (a lot that closed meanwhile)', async () => {
    const desk = new DeskStore(
      fakeApi({ findBuyers: () => Promise.resolve(fail({ status: 409, code: 'LOT_NOT_OPEN' })) }),
    );
    await desk.findBuyers('lot1');
    expect(desk.state).toMatchObject({
      planning: false,
      drafts: [],
      planError: expect.objectContaining({ code: 'LOT_NOT_OPEN' }),
    });
  });
});

describe('the deal log never goes backwards', () => {
  // After a reconnect socket.io replays missed events while the page reloads the deal log: of an event and a
  // row, the fresher offer and order (by version) stay.
  const orderEvent = (status: string, version: number): MarketUpdate => ({
    type: 'order:updated',
    orderId: 'order9',
    data: { order: { id: 'order9', offerId: 'offer1', status, totalFen: 65_000, version } },
    at: '2026-11-26T03:00:01.000Z',
  });
  const sentDesk = async (api: DeskApi = fakeApi()) => {
    const desk = new DeskStore(api);
    await desk.findBuyers('lot1');
    await desk.sendSelected(() => new Date('2026-11-26T02:30:00.000Z'));
    return desk;
  };
  const rowOf = (extra: Partial<BrokeredOfferRow>): BrokeredOfferRow => ({
    offerId: 'offer1',
    lotId: 'lot1',
    demandId: 'dem1',
    productCode: 'shiitake',
    sellerOrgId: 'farm1',
    sellerName: '绿源食用菌合作社',
    buyerOrgId: 'rest1',
    buyerName: '赣江渔火',
    quantityGrams: 50_000,
    priceFenPerKg: 1250,
    status: 'open',
    orderId: null,
    sentAt: '2026-11-26T02:30:00.000Z',
    offerVersion: 1,
    ...extra,
  });

  it('ignores an offer or order event replayed after a reconnect that is older than what the deal shows', async () => {
    const desk = await sentDesk();
    desk.applyMarketUpdate(offerEvent('offer1', 'accepted', { orderId: 'order9', version: 2 }));
    desk.applyMarketUpdate(orderEvent('confirmed', 1));
    desk.applyMarketUpdate(orderEvent('dispatched', 2));
    // the replay
    desk.applyMarketUpdate(offerEvent('offer1', 'rejected', { version: 1 }));
    desk.applyMarketUpdate(orderEvent('confirmed', 1));
    expect(desk.state.deals[0]).toMatchObject({ status: 'accepted', orderStatus: 'dispatched', orderVersion: 2 });
    desk.applyMarketUpdate(orderEvent('delivered', 3));
    expect(desk.state.deals[0]).toMatchObject({ orderStatus: 'delivered', orderVersion: 3 });
  });

  it('keeps what events brought while the deal log was read, and takes a row that is fresher', async () => {
    let release: (rows: BrokeredOfferRow[]) => void = () => undefined;
    const read = new Promise<BrokeredOfferRow[]>((resolve) => (release = resolve));
    const desk = await sentDesk(fakeApi({ brokeredOffers: async () => ok({ items: await read, nextCursor: null }) }));
    const loading = desk.loadDeals();
    desk.applyMarketUpdate(offerEvent('offer1', 'accepted', { orderId: 'order9', version: 2 }));
    desk.applyMarketUpdate(orderEvent('dispatched', 2));
    release([rowOf({ status: 'open', offerVersion: 1 })]);
    await loading;
    expect(desk.state.deals).toEqual([
      expect.objectContaining({ status: 'accepted', orderId: 'order9', orderStatus: 'dispatched' }),
    ]);

    const fresher = rowOf({
      status: 'accepted',
      offerVersion: 2,
      orderId: 'order9',
      orderStatus: 'delivered',
      orderTotalFen: 65_000,
      orderVersion: 3,
    });
    const reloaded = await sentDesk(
      fakeApi({ brokeredOffers: async () => ok({ items: [fresher], nextCursor: null }) }),
    );
    reloaded.applyMarketUpdate(offerEvent('offer1', 'accepted', { orderId: 'order9', version: 2 }));
    reloaded.applyMarketUpdate(orderEvent('dispatched', 2));
    await reloaded.loadDeals();
    expect(reloaded.state.deals[0]).toMatchObject({ orderStatus: 'delivered', orderVersion: 3 });
  });
});

describe('the ledger store', () => {
  const now = new Date('2026-11-26T17:00:00.000Z'); // already 27 November in Nanchang

  it('starts on days over the last 30 Shanghai days and asks the API for them', async () => {
    const api = fakeApi();
    const ledger = new DeskLedgerStore(api, now);
    expect(ledger.state).toMatchObject({ period: 'day', from: '2026-10-29', to: '2026-11-27' });
    await ledger.load();
    expect(api.ledgerQueries).toEqual([{ from: '2026-10-29', to: '2026-11-27', period: 'day' }]);
    expect(ledger.csvHref).toBe('/api/ledger/export.csv?from=2026-10-29&to=2026-11-27');
  });

  it('choosing quarter widens the range to two years, within the API limit', async () => {
    const ledger = new DeskLedgerStore(fakeApi(), now);
    await ledger.setPeriod('quarter', now);
    expect(ledger.state).toMatchObject({ period: 'quarter', from: '2024-11-28', to: '2026-11-27' });
    expect(checkRange(ledger.state.from, ledger.state.to)).toEqual({ ok: true });
  });

  it('refuses a range that ends before it starts or is longer than two years, without calling the API', async () => {
    const api = fakeApi();
    const ledger = new DeskLedgerStore(api, now);
    await ledger.setRange('2026-11-20', '2026-11-01');
    expect(ledger.state.rangeError).toEqual({ ok: false, reason: 'ORDER' });
    await ledger.setRange('2020-01-01', '2026-11-01');
    expect(ledger.state.rangeError).toEqual({ ok: false, reason: 'TOO_LONG' });
    expect(api.ledgerQueries).toEqual([]);
  });

  it('appends the next page of entries with the cursor, once each, and keeps the KPIs of the first page', async () => {
    const entry = (id: string) => ({ id }) as LedgerReport['items'][number];
    const pages: Record<string, LedgerReport['items']> = {
      first: [entry('e3'), entry('e2')],
      c1: [entry('e2'), entry('e1')],
    };
    const cursors: Record<string, string | null> = { first: 'c1', c1: null };
    const api = fakeApi({
      ledger: (q) => {
        api.ledgerQueries.push(q);
        const key = q.cursor ?? 'first';
        return Promise.resolve(
          ok({
            from: q.from ?? '',
            to: q.to ?? '',
            period: q.period ?? 'day',
            total: { orders: key === 'first' ? 3 : -1 } as LedgerReport['total'],
            periods: [],
            items: pages[key],
            nextCursor: cursors[key],
            truncated: false,
          }),
        );
      },
    });
    const ledger = new DeskLedgerStore(api, now);
    await ledger.load();
    await ledger.loadMoreEntries();
    expect(ledger.state.report?.items.map((e) => e.id)).toEqual(['e3', 'e2', 'e1']);
    expect(ledger.state.report).toMatchObject({ nextCursor: null, total: { orders: 3 } });
    expect(api.ledgerQueries.at(-1)).toMatchObject({ cursor: 'c1' });
    await ledger.loadMoreEntries(); // the last page was read: nothing more is asked
    expect(api.ledgerQueries).toHaveLength(2);
  });

  it('default ranges end today for every period', () => {
    for (const p of ['day', 'week', 'month', 'quarter', 'year'] as const)
      expect(defaultRange(p, '2026-11-27').to).toBe('2026-11-27');
    expect(ledgerCsvHref({})).toBe('/api/ledger/export.csv');
  });
});

describe('the problems store', () => {
  it('offers the transitions the state machine allows', () => {
    expect(nextActions('open')).toEqual(['start', 'resolve']);
    expect(nextActions('in_progress')).toEqual(['resolve']);
    expect(nextActions('resolved')).toEqual(['reopen']);
  });

  it('reads order ids separated by commas, Chinese commas, 、 or spaces, once each', () => {
    expect(parseOrderIds(' a1, b2，c3、a1\nd4 ')).toEqual(['a1', 'b2', 'c3', 'd4']);
    expect(parseOrderIds('  ')).toEqual([]);
  });

  it('filters by status and category, dropping a filter set back to all', async () => {
    const filters: unknown[] = [];
    const api = fakeApi({
      problems: (f) => {
        filters.push(f);
        return Promise.resolve(
          ok({
            items: [],
            nextCursor: null,
            counts: { raised: 0, resolved: 0, resolvedOnSite: 0 } as never,
            countsTruncated: false,
            summary: { 'zh-CN': '', en: '' },
          }),
        );
      },
      visits: () => Promise.resolve(ok({ items: [], nextCursor: null })),
    });
    const store = new DeskProblemsStore(api);
    await store.setFilter({ status: 'open', category: 'sales' });
    await store.setFilter({ status: '' });
    expect(filters).toEqual([{ status: 'open', category: 'sales' }, { category: 'sales' }]);
  });
});
