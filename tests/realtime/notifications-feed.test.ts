/**
 * The client's liveFeed on its own, with a fake socket: duplicates, holes and the starting point.
 * (tests/realtime/notifications.test.ts runs it against the real server.)
 */
import { liveFeed, type AppSocket } from '../../client/src/socket';
import type { Notification, NotificationsSinceQuery } from '../../shared/schemas/notifications';

class FakeSocket {
  connected = false;
  readonly listeners = new Map<string, ((payload: unknown) => void)[]>();
  readonly asked: NotificationsSinceQuery[] = [];
  stored: Notification[] = [];
  on(event: string, fn: (payload: unknown) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  fire(event: string, payload?: unknown) {
    this.listeners.get(event)?.forEach((fn) => fn(payload));
  }
  timeout() {
    return {
      emitWithAck: async (_event: string, query: NotificationsSinceQuery) => {
        this.asked.push(query);
        const channel = query.channel ?? 'org';
        const mine = this.stored.filter((n) => n.channel === channel);
        const items = mine.filter((n) => n.seq > query.afterSeq).slice(0, query.limit ?? 100);
        const latestSeq = Math.max(0, ...mine.map((n) => n.seq));
        return { ok: true, data: { channel, items, latestSeq, hasMore: false, readUpToSeq: 0 } };
      },
    };
  }
}

const member = (seq: number): Notification => ({
  seq,
  channel: 'org',
  type: 'organisation:members',
  payload: { organisationId: 'o1', change: 'updated', userId: `u${seq}` },
  createdAt: '2026-11-26T08:00:00.000Z',
});
const live = (socket: FakeSocket, seq: number) =>
  socket.fire('organisation:members', { ...member(seq).payload, seq, channel: 'org' });
const settle = () => new Promise((r) => setTimeout(r, 0));

function setUp() {
  const socket = new FakeSocket();
  const feed = liveFeed(socket as unknown as AppSocket, { retryGapAfterMs: 10 });
  const heard: string[] = [];
  feed.on('organisation:members', (event) => heard.push(event.userId));
  return { socket, feed, heard };
}

describe('liveFeed', () => {
  it('replays nothing on the first connect, only sets the starting point', async () => {
    const { socket, feed, heard } = setUp();
    socket.stored = [member(1), member(2)];
    socket.connected = true;
    socket.fire('connect');
    await settle();
    expect(socket.asked[0]).toMatchObject({ afterSeq: 0, limit: 0 });
    expect(feed.lastSeq().org).toBe(2);
    expect(heard).toEqual([]);
  });

  it('after a reconnect dispatches what was missed, once, even when it also arrives live', async () => {
    const { socket, feed, heard } = setUp();
    socket.stored = [member(1)];
    socket.fire('connect');
    await settle();
    socket.stored.push(member(2), member(3));
    live(socket, 2); // arrives live just before the catch-up answers with it too
    socket.fire('connect');
    await settle();
    live(socket, 3);
    expect(heard).toEqual(['u2', 'u3']);
    expect(feed.lastSeq().org).toBe(3);
  });

  it('fills a hole from the server, and skips one that cannot be filled', async () => {
    const { socket, feed, heard } = setUp();
    socket.fire('connect');
    await settle();
    socket.stored = [member(1), member(3)];
    live(socket, 3);
    await new Promise((r) => setTimeout(r, 50));
    expect(heard).toEqual(['u3', 'u1']);
    expect(feed.lastSeq().org).toBe(3);

    live(socket, 5); // 4 never arrives and is not stored
    await new Promise((r) => setTimeout(r, 50));
    expect(feed.lastSeq().org).toBe(5);
    live(socket, 6);
    expect(heard).toEqual(['u3', 'u1', 'u5', 'u6']);
  });

  it('passes events without a seq straight through', async () => {
    const { socket, heard } = setUp();
    socket.fire('organisation:members', { organisationId: 'o1', change: 'added', userId: 'plain' });
    socket.fire('organisation:members', { organisationId: 'o1', change: 'added', userId: 'plain' });
    expect(heard).toEqual(['plain', 'plain']);
  });
});
