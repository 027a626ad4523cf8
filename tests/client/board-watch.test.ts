/** The board's product and region choice: what the socket is told to watch, when the board is re-read, and reconnects. */
import { EventEmitter } from 'node:events';
import { MarketStore } from '../../client/src/state/market';
import type { MarketApi } from '../../client/src/state/market-api';
import type { Lot } from '../../client/src/state/market-types';
import { boardRegions, visibleLots, type WatchChannel } from '../../client/src/state/board-watch';
import { keepBoardWatch, type AppSocket } from '../../client/src/socket';
import type { MarketWatchPayload } from '../../shared/schemas/market-watch';

const lot = (id: string, productCode: string, region?: string): Lot =>
  ({ id, productCode, ...(region ? { region } : {}), status: 'open', expiresAt: '2026-11-27T00:00:00.000Z' }) as Lot;

/** Only what the board's filter uses; every other MarketApi method is never called here. */
function boardApi() {
  const reads: number[] = [];
  const api = {
    lots: async () => {
      reads.push(1);
      return { ok: true as const, data: { items: [], nextCursor: null } };
    },
  };
  return { api: api as unknown as MarketApi, reads };
}

function recordingChannel(): WatchChannel & { sent: MarketWatchPayload[] } {
  const sent: MarketWatchPayload[] = [];
  return {
    sent,
    watch: async (payload) => {
      sent.push(payload);
      return {
        ok: true,
        data: { watching: { productCodes: payload.productCodes ?? [], regions: payload.regions ?? [] } },
      };
    },
  };
}

describe('choosing a product and region on the board', () => {
  it('tells the socket to watch the product, then that product from that region, then the whole market again', async () => {
    const { api } = boardApi();
    const store = new MarketStore(api);
    const channel = recordingChannel();
    store.useWatchChannel(channel);
    await store.filterBoard({ productCode: 'shiitake' });
    await store.filterBoard({ region: '吉安市新干县' });
    await store.filterBoard({ productCode: null, region: null });
    expect(channel.sent).toEqual([
      { productCodes: ['shiitake'] },
      { productCodes: ['shiitake'], regions: ['吉安市新干县'] },
      {},
    ]);
  });

  it('re-reads the board only when the choice lets in lots whose updates went unheard', async () => {
    const { api, reads } = boardApi();
    const store = new MarketStore(api);
    store.useWatchChannel(recordingChannel());
    await store.filterBoard({ productCode: 'shiitake' }); // narrower: nothing missed
    await store.filterBoard({ region: '吉安市新干县' }); // narrower still
    expect(reads).toHaveLength(0);
    await store.filterBoard({ region: null }); // wider: other regions' shiitake went unheard
    expect(reads).toHaveLength(1);
    await store.filterBoard({ productCode: 'enoki' }); // another product: unheard too
    expect(reads).toHaveLength(2);
  });

  it('shows the lots of the chosen product and region, and offers the regions on the board', () => {
    const board = [
      lot('a', 'shiitake', '吉安市新干县'),
      lot('b', 'navel_orange', '赣州市寻乌县'),
      lot('c', 'shiitake', '赣州市寻乌县'),
      lot('d', 'shiitake'),
    ];
    expect(visibleLots(board, { productCode: 'shiitake', region: null }).map((l) => l.id)).toEqual(['a', 'c', 'd']);
    expect(visibleLots(board, { productCode: 'shiitake', region: '赣州市寻乌县' }).map((l) => l.id)).toEqual(['c']);
    expect(visibleLots(board, { productCode: null, region: null })).toHaveLength(4);
    expect(boardRegions(board)).toEqual(['赣州市寻乌县', '吉安市新干县'].sort((x, y) => x.localeCompare(y, 'zh-CN')));
  });

  it('sends the choice again on every connect, since a new connection starts on the whole market', async () => {
    const store = new MarketStore(boardApi().api);
    const sent: unknown[] = [];
    const fake = Object.assign(new EventEmitter(), {
      connected: false,
      timeout: () => ({
        emitWithAck: async (event: string, payload: unknown) => (
          sent.push([event, payload]),
          { ok: true, data: { watching: {} } }
        ),
      }),
    });
    keepBoardWatch(fake as unknown as AppSocket, store);
    await store.filterBoard({ region: '吉安市新干县' });
    fake.emit('connect');
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([
      ['market:watch', { regions: ['吉安市新干县'] }],
      ['market:watch', { regions: ['吉安市新干县'] }],
    ]);
    store.clear();
    expect(store.state.boardFilter).toEqual({ productCode: null, region: null });
    expect(await store.sendWatch()).toBe(false);
  });
});
