import type { CentreItem, NotificationCentreResponse, UnreadCount } from '../../shared/schemas/notifications';
import {
  badgeText,
  NotificationCentreStore,
  type NotificationCentreApi,
} from '../../client/src/state/notification-centre';
import { ok, type ApiResult } from '../../client/src/state/api-result';

/** A server in memory: items newest first, a read marker by instant, pages of two. */
function fakeServer(createdAt: string[]) {
  let readUpTo = '';
  const items = (): CentreItem[] =>
    createdAt.map((at, i) => ({
      id: `n${i}`,
      seq: createdAt.length - i,
      channel: 'org',
      type: 'market:update',
      payload: { type: 'offer:made' },
      createdAt: at,
      read: at <= readUpTo,
    }));
  const count = (): UnreadCount => ({ count: items().filter((i) => !i.read).length, capped: false });
  const calls: string[] = [];
  const api: NotificationCentreApi = {
    async unread() {
      calls.push('unread');
      return ok(count());
    },
    async page(cursor): Promise<ApiResult<NotificationCentreResponse>> {
      calls.push(`page:${cursor ?? ''}`);
      const start = cursor ? Number(cursor) : 0;
      const slice = items().slice(start, start + 2);
      return ok({ items: slice, nextCursor: start + 2 < createdAt.length ? String(start + 2) : null, unread: count() });
    },
    async readUpTo(upTo) {
      calls.push(`read:${upTo}`);
      if (upTo > readUpTo) readUpTo = upTo;
      return ok(count());
    },
  };
  return { api, calls, arrive: (at: string) => createdAt.unshift(at) };
}

describe('the notification centre store', () => {
  it('counts from the server, and opening the list marks read up to the moment it was opened', async () => {
    const server = fakeServer(['2026-12-02T10:03:00.000Z', '2026-12-02T10:02:00.000Z', '2026-12-02T10:01:00.000Z']);
    const centre = new NotificationCentreStore(server.api);
    await centre.refreshCount();
    expect(centre.state.unread).toBe(3);

    await centre.open(() => new Date('2026-12-02T10:05:00.000Z'));
    expect(centre.state.items.map((i) => i.id)).toEqual(['n0', 'n1']);
    expect(centre.state.items.every((i) => !i.read)).toBe(true); // this visit still shows which were new
    expect(server.calls).toContain('read:2026-12-02T10:05:00.000Z');
    expect(centre.state.unread).toBe(0);

    server.arrive('2026-12-02T10:06:00.000Z');
    await centre.refreshCount();
    expect(centre.state.unread).toBe(1);
  });

  it('pages on with the cursor without repeating a row, and stops on the last page', async () => {
    const server = fakeServer(['2026-12-02T10:03:00.000Z', '2026-12-02T10:02:00.000Z', '2026-12-02T10:01:00.000Z']);
    const centre = new NotificationCentreStore(server.api);
    await centre.open(() => new Date('2026-12-02T10:00:00.000Z'));
    await centre.more();
    expect(centre.state.items.map((i) => i.id)).toEqual(['n0', 'n1', 'n2']);
    expect(centre.state.nextCursor).toBeNull();
    await centre.more();
    expect(server.calls.filter((c) => c.startsWith('page:'))).toEqual(['page:', 'page:2']);
  });

  it('drops an answer that arrives after a sign-out', async () => {
    const server = fakeServer(['2026-12-02T10:01:00.000Z']);
    const centre = new NotificationCentreStore(server.api);
    const counting = centre.refreshCount();
    centre.clear();
    await counting;
    expect(centre.state.unread).toBe(0);
  });

  it('shows nothing for none and 99+ at the cap', () => {
    expect(badgeText({ unread: 0, capped: false })).toBe('');
    expect(badgeText({ unread: 7, capped: false })).toBe('7');
    expect(badgeText({ unread: 100, capped: true })).toBe('99+');
  });
});

describe('reading in another tab', () => {
  it('lowers this tab’s count when the person reads elsewhere, and a late older marker never raises it again', async () => {
    const server = fakeServer(['2026-12-02T10:03:00.000Z', '2026-12-02T10:02:00.000Z', '2026-12-02T10:01:00.000Z']);
    const centre = new NotificationCentreStore(server.api);
    await centre.refreshCount();
    expect(centre.state.unread).toBe(3);

    centre.readElsewhere({ readUpToSeq: { org: 3, user: 1 }, unread: { count: 0, capped: false } });
    expect(centre.state.unread).toBe(0);
    expect(server.calls).toEqual(['unread']); // applied from the event, no second read of the server

    // An earlier marker (sent before, delivered after) would bring back a stale count: ignored.
    centre.readElsewhere({ readUpToSeq: { org: 2, user: 1 }, unread: { count: 1, capped: false } });
    expect(centre.state.unread).toBe(0);
    // The same markers with a newer count (a notification arrived since) are taken.
    centre.readElsewhere({ readUpToSeq: { org: 3, user: 1 }, unread: { count: 1, capped: false } });
    expect(centre.state.unread).toBe(1);

    // Another person signs in on this phone: their markers start afresh.
    centre.clear();
    centre.readElsewhere({ readUpToSeq: { org: 1, user: 0 }, unread: { count: 2, capped: false } });
    expect(centre.state.unread).toBe(2);
  });
});
