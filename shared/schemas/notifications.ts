/**
 * Persisted notifications (docs/notifications-openapi.md): everything the server publishes to an
 * organisation's or a user's room is also stored with a per-recipient `seq`, so a client that was
 * offline asks for what it missed. Two channels per signed-in user: `org` (their organisation's
 * room) and `user` (their own room); each has its own sequence 1, 2, 3 …
 */
import { z } from 'zod';

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

/** What a live event carries when it was stored: its channel and seq. */
export interface Sequenced {
  seq?: number;
  channel?: NotificationChannel;
}
