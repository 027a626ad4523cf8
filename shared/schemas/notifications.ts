/**
 * Persisted notifications (docs/notifications-openapi.md): everything the server publishes to an
 * organisation's or a user's room is also stored with a per-recipient `seq`, so a client that was
 * offline asks for what it missed. Two channels per signed-in user: `org` (their organisation's
 * room) and `user` (their own room); each has its own sequence 1, 2, 3 …
 */
import { z } from 'zod';
import { cursorText, decodedCursor, pageLimit } from './paging';

export const NOTIFICATION_CHANNELS = ['org', 'user'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** A page of at most this many notifications per request. */
export const MAX_NOTIFICATIONS_PAGE = 500;

const channel = z.enum(NOTIFICATION_CHANNELS, { error: 'must be "org" or "user"' }).default('org');
const seq = z.number({ error: 'must be a sequence number' }).int('must be a whole number').min(0, 'must be 0 or more');
/** limit=0 only reports `latestSeq` (a fresh page sets its starting point with it). */
const limit = z.number().int().min(0).max(MAX_NOTIFICATIONS_PAGE);

/** GET /api/notifications?channel=org&afterSeq=12&limit=100 (query strings are coerced). */
export const listNotificationsQuery = z.strictObject({
  channel,
  afterSeq: z.coerce
    .number({ error: 'must be a sequence number' })
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .default(0),
  limit: z.coerce.number().int().min(0).max(MAX_NOTIFICATIONS_PAGE).default(100),
});
export type ListNotificationsQuery = z.infer<typeof listNotificationsQuery>;

/** Socket `notifications:since`: the same, as JSON numbers. */
export const notificationsSinceQuery = z.strictObject({
  channel,
  afterSeq: seq,
  limit: limit.default(100),
});
export type NotificationsSinceQuery = z.input<typeof notificationsSinceQuery>;

/** POST /api/notifications/read: everything up to and including upToSeq is read (per user and channel). */
export const markNotificationsReadBody = z.strictObject({ channel, upToSeq: seq });
export type MarkNotificationsReadBody = z.input<typeof markNotificationsReadBody>;

export const notificationSchema = z.object({
  seq: z.number().int(),
  channel: z.enum(NOTIFICATION_CHANNELS),
  /** The socket event it was published as, e.g. `market:update`, `organisation:verification`. */
  type: z.string(),
  /** The event's payload exactly as it went out live (without the seq stamp). */
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationsResponseSchema = z.object({
  channel: z.enum(NOTIFICATION_CHANNELS),
  /** In seq order; notifications older than the retention (30 days) are gone. */
  items: z.array(notificationSchema),
  /** The highest seq allocated on this channel so far (0: none yet). */
  latestSeq: z.number().int(),
  /** More after the last item: ask again with afterSeq = the last item's seq. */
  hasMore: z.boolean(),
  /** The caller's read marker on this channel. */
  readUpToSeq: z.number().int(),
});
export type NotificationsResponse = z.infer<typeof notificationsResponseSchema>;

export const markNotificationsReadResponseSchema = z.object({
  channel: z.enum(NOTIFICATION_CHANNELS),
  readUpToSeq: z.number().int(),
});
export type MarkNotificationsReadResponse = z.infer<typeof markNotificationsReadResponseSchema>;

/**
 * Sent to `user:<id>` (not stored: a marker is not news) after the person marks notifications read in any tab
 * or device: their read markers per channel and the unread count, so the other tabs lower their badge. A
 * client never moves a marker backwards (an older event arriving late is ignored).
 */
export interface NotificationsReadEvent {
  readUpToSeq: Record<NotificationChannel, number>;
  unread: UnreadCount;
}

/** What a live event carries when it was stored: its channel and seq. */
export interface Sequenced {
  seq?: number;
  channel?: NotificationChannel;
}

// ---- The notification centre (docs/notifications.md): both channels merged, newest first, keyset-paged.

/** The centre's order: newest first by when it was stored, the id as tiebreak. */
export const CENTRE_SORT = 'newest';

/** GET /api/notifications/centre?limit=20&cursor=… */
export const notificationCentreQuery = z
  .strictObject({ limit: pageLimit, cursor: cursorText.optional() })
  .transform(({ cursor, ...query }, ctx) => {
    const decoded = decodedCursor(cursor, { sort: CENTRE_SORT, keys: 1 }, ctx);
    // A stored notification's id is a 24-hex ObjectId; anything else is not one of our cursors.
    const after = decoded && /^[0-9a-f]{24}$/.test(decoded.id) ? decoded : undefined;
    if (decoded && !after)
      ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'must be the nextCursor of a previous page' });
    return { ...query, ...(after ? { cursor: after } : {}) };
  });
export type NotificationCentreQuery = z.output<typeof notificationCentreQuery>;

/** POST /api/notifications/read-up-to: everything stored up to this instant (both channels) is read. */
export const markReadUpToBody = z.strictObject({
  upTo: z.iso.datetime({ offset: true, error: 'must be a date and time (ISO 8601)' }),
});
export type MarkReadUpToBody = z.input<typeof markReadUpToBody>;

export const centreItemSchema = notificationSchema.extend({
  id: z.string(),
  /** At or below the person's read marker on its channel. */
  read: z.boolean(),
});
export type CentreItem = z.infer<typeof centreItemSchema>;

/** What the badge and the title count show: unread on both channels, counted up to UNREAD_COUNT_CAP. */
export const UNREAD_COUNT_CAP = 100;
export const unreadCountSchema = z.object({
  count: z.number().int(),
  /** True when there are at least UNREAD_COUNT_CAP (the badge shows "99+"). */
  capped: z.boolean(),
});
export type UnreadCount = z.infer<typeof unreadCountSchema>;

export const notificationCentreResponseSchema = z.object({
  items: z.array(centreItemSchema),
  nextCursor: z.string().nullable(),
  unread: unreadCountSchema,
});
export type NotificationCentreResponse = z.infer<typeof notificationCentreResponseSchema>;
