/**
 * Persisted notifications: what the hub sends to `org:<id>` and `user:<id>` is stored with a
 * per-recipient seq before it goes out, so a client that was offline can ask for what it missed.
 */
import { pageOf } from '../../../shared/domain/paging';
import {
  CENTRE_SORT,
  UNREAD_COUNT_CAP,
  type NotificationCentreQuery,
  type NotificationCentreResponse,
  type UnreadCount,
  type ListNotificationsQuery,
  MarkNotificationsReadResponse,
  NotificationChannel,
  NotificationsResponse,
} from '../../../shared/schemas/notifications';
import type { Logger } from '../../logger';
import { success, type Outcome } from '../../outcome';
import { organisationRoom, userRoom, type Publisher, type Sequencer } from '../../realtime/hub';
import type { AuthenticatedUser } from '../../principal';
import type { NotificationsRepository } from './notifications.repository';

/** How long a notification can be caught up on. */
const NOTIFICATION_TTL_MS = 90 * 24 * 60 * 60 * 1000;

/** Control messages, not news: replaying them after a reconnect would be wrong. */
const UNSTORED_EVENTS = new Set(['session:ended']);

export interface NotificationsServiceDeps {
  notifications: NotificationsRepository;
  now: () => Date;
  logger: Pick<Logger, 'error'>;
  ttlMs?: number;
  /**
   * Where a person's new read markers go (their `user:<id>` room, unsequenced: a marker is not news), so their
   * other tabs and devices lower the unread count too. Absent: nobody is told.
   */
  publisher?: Pick<Publisher, 'toRoom'>;
}

/** The caller's own rooms: the channel names a room of theirs, never an id they pass. */
function recipientOf(user: AuthenticatedUser, channel: NotificationChannel): string {
  return channel === 'org' ? organisationRoom(user.organisation.id) : userRoom(user.id);
}

const channelOfRoom = (room: string): NotificationChannel | null =>
  room.startsWith('org:') ? 'org' : room.startsWith('user:') ? 'user' : null;

export type NotificationsService = ReturnType<typeof createNotificationsService>;

export function createNotificationsService({
  notifications,
  now,
  logger,
  ttlMs = NOTIFICATION_TTL_MS,
  publisher,
}: NotificationsServiceDeps) {
  /** Per room, the tail of its pending publishes: one node emits a room's events in seq order. */
  const tails = new Map<string, Promise<void>>();

  /** Allocates the recipient's next seq and stores the notification under it. */
  async function record(recipient: string, type: string, payload: Record<string, unknown>): Promise<number> {
    const seq = await notifications.nextSeq(recipient);
    const createdAt = now();
    await notifications.insert({
      recipient,
      seq,
      type,
      payload,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + ttlMs),
    });
    return seq;
  }

  /** For the hub (hub.useSequencer): store, then emit stamped with `{seq, channel}`. */
  const sequencer: Sequencer = (room, event, payload, emit) => {
    const channel = channelOfRoom(room);
    if (!channel || UNSTORED_EVENTS.has(event) || typeof payload !== 'object' || payload === null) {
      emit(payload);
      return;
    }
    const previous = tails.get(room) ?? Promise.resolve();
    const next = previous.then(async () => {
      try {
        const seq = await record(room, event, payload as Record<string, unknown>);
        emit({ ...payload, seq, channel });
      } catch (err) {
        // Still tell whoever is online; without a seq it cannot be caught up on later.
        logger.error({ err, room, event }, 'notification not stored');
        emit(payload);
      }
    });
    tails.set(room, next);
    void next.then(() => {
      if (tails.get(room) === next) tails.delete(room);
    });
  };

  async function readMarkers(user: AuthenticatedUser): Promise<Record<NotificationChannel, number>> {
    const [org, own] = await Promise.all([
      notifications.readMarker(`${user.id}:org`),
      notifications.readMarker(`${user.id}:user`),
    ]);
    return { org, user: own };
  }

  /** Tells the person's sockets (every tab and device) their markers and unread count after a read. */
  async function announceRead(user: AuthenticatedUser): Promise<UnreadCount> {
    const markers = await readMarkers(user);
    const unread = await unreadOf(user, markers);
    publisher?.toRoom(userRoom(user.id), 'notifications:read', { readUpToSeq: markers, unread });
    return unread;
  }

  async function unreadOf(user: AuthenticatedUser, known?: Record<NotificationChannel, number>): Promise<UnreadCount> {
    const markers = known ?? (await readMarkers(user));
    const at = now();
    const [org, own] = await Promise.all([
      notifications.countAfter(recipientOf(user, 'org'), markers.org, UNREAD_COUNT_CAP, at),
      notifications.countAfter(recipientOf(user, 'user'), markers.user, UNREAD_COUNT_CAP, at),
    ]);
    const count = Math.min(org + own, UNREAD_COUNT_CAP);
    return { count, capped: count >= UNREAD_COUNT_CAP };
  }

  return {
    record,
    sequencer,

    /** Resolves when every publish so far has been stored and emitted (tests, shutdown). */
    async idle(): Promise<void> {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },

    async list(user: AuthenticatedUser, query: ListNotificationsQuery): Promise<Outcome<NotificationsResponse>> {
      const recipient = recipientOf(user, query.channel);
      // The head first: an item stored after this read is then never hidden behind a smaller latestSeq.
      const latestSeq = await notifications.latestSeq(recipient);
      const [page, readUpToSeq] = await Promise.all([
        notifications.listAfter(recipient, query.afterSeq, query.limit + 1, now()),
        notifications.readMarker(`${user.id}:${query.channel}`),
      ]);
      const items = page.slice(0, query.limit).map((n) => ({
        seq: n.seq,
        channel: query.channel,
        type: n.type,
        payload: n.payload,
        createdAt: n.createdAt.toISOString(),
      }));
      const lastSeq = items.at(-1)?.seq ?? query.afterSeq;
      return success({
        channel: query.channel,
        items,
        latestSeq: Math.max(latestSeq, lastSeq),
        hasMore: page.length > query.limit || (query.limit === 0 && latestSeq > query.afterSeq),
        readUpToSeq,
      });
    },

    /** The person's unread notifications on both channels (above each read marker), counted up to the cap. */
    async unread(user: AuthenticatedUser): Promise<Outcome<UnreadCount>> {
      return success(await unreadOf(user));
    },

    /** The notification centre: both channels, newest first, each marked read or not; with the unread count. */
    async centre(
      user: AuthenticatedUser,
      query: NotificationCentreQuery,
    ): Promise<Outcome<NotificationCentreResponse>> {
      const markers = await readMarkers(user);
      const rows = await notifications.newestFirst(
        [recipientOf(user, 'org'), recipientOf(user, 'user')],
        query.cursor,
        query.limit + 1,
        now(),
      );
      const page = pageOf(
        rows,
        query.limit,
        (row) => ({ sort: CENTRE_SORT, keys: [row.createdAt.getTime()], id: row.id }),
        (row) => {
          const channel: NotificationChannel = row.recipient.startsWith('org:') ? 'org' : 'user';
          return {
            id: row.id,
            seq: row.seq,
            channel,
            type: row.type,
            payload: row.payload,
            createdAt: row.createdAt.toISOString(),
            read: row.seq <= markers[channel],
          };
        },
      );
      return success({ ...page, unread: await unreadOf(user, markers) });
    },

    /**
     * Marks read everything stored up to `upTo` (at most now) on both channels: the "read all" of the
     * centre, sent with the instant the person saw the list, so what arrived after stays unread.
     */
    async markReadUpTo(user: AuthenticatedUser, upTo: Date): Promise<Outcome<UnreadCount>> {
      const at = new Date(Math.min(upTo.getTime(), now().getTime()));
      for (const channel of ['org', 'user'] as const) {
        const seq = await notifications.lastSeqAt(recipientOf(user, channel), at);
        if (seq > 0) await notifications.markRead(`${user.id}:${channel}`, seq, now());
      }
      return success(await announceRead(user));
    },

    /** Never beyond what exists, never backwards. */
    async markRead(
      user: AuthenticatedUser,
      channel: NotificationChannel,
      upToSeq: number,
    ): Promise<Outcome<MarkNotificationsReadResponse>> {
      const latest = await notifications.latestSeq(recipientOf(user, channel));
      const readUpToSeq = await notifications.markRead(`${user.id}:${channel}`, Math.min(upToSeq, latest), now());
      await announceRead(user);
      return success({ channel, readUpToSeq });
    },
  };
}
