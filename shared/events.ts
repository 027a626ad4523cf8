/**
 * Typed socket.io maps. Every client→server event takes an ack callback receiving
 * `Ack<T>`: `{ ok: true, data }` or `{ ok: false, error: { code, message } }`.
 * Rooms (server side): `org:<organisationId>`, `user:<userId>`, `chamber` (chamber staff), and the board's:
 * `market:board` (whole market, the default), `board:p:<product>`, `board:r:<region>`, `board:pr:<product>|<region>`.
 * A socket without a session joins no room and gets only broadcasts.
 */
import type {
  ListOrganisationsQuery,
  MeResponse,
  MembersResponse,
  OrganisationsResponse,
  VerificationAction,
  VerificationState,
} from './schemas/accounts';
import type { MarketUpdate } from './schemas/market';
import type { MarketActionPayload } from './schemas/market-socket';
import type { MarketWatchPayload, MarketWatching } from './schemas/market-watch';
import type {
  NotificationsReadEvent,
  NotificationsResponse,
  NotificationsSinceQuery,
  Sequenced,
} from './schemas/notifications';
import type { CampaignProgressEvent, CampaignWatchPayload, PairingProgressEvent } from './schemas/programme';

/** `details` carries what REST puts beside code and message: `fields` (name → message), `remainingGrams`, `orderId` … */
type AckError = { code: string; message: string; details?: Record<string, unknown> };
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckError };
export type AckCallback<T> = (response: Ack<T>) => void;

/** Sent to `org:<id>` when the chamber decides on the organisation's verification. */
export interface OrganisationVerificationEvent {
  organisationId: string;
  action: VerificationAction;
  verification: VerificationState;
  reason?: string;
  at: string;
}

/** Sent to `org:<id>` when a colleague is added, changed (role, admin) or removed. */
interface OrganisationMembersEvent {
  organisationId: string;
  change: 'added' | 'updated' | 'removed';
  userId: string;
}

/** Sent to `chamber` when an organisation signs up or its verification changes. */
export interface ChamberQueueEvent {
  organisationId: string;
  name: string;
  verification: VerificationState;
  at: string;
}

/** Sent to `user:<id>` (or one session's sockets) just before the server disconnects them. */
export interface SessionEndedEvent {
  reason: 'logout' | 'password-reset' | 'password-changed' | 'removed';
}

export interface ServerToClientEvents {
  /** Lots, offers and orders of the organisation (and, for the chamber, of everyone): docs/market.md. */
  'market:update': (event: MarketUpdate) => void;
  'organisation:verification': (event: OrganisationVerificationEvent) => void;
  'organisation:members': (event: OrganisationMembersEvent) => void;
  'chamber:queue': (event: ChamberQueueEvent) => void;
  'session:ended': (event: SessionEndedEvent) => void;
  /** To `chamber` and `campaign:<id>`: an in-scope order was confirmed or cancelled (docs/programme.md). */
  'programme:campaign': (event: CampaignProgressEvent) => void;
  /** To `chamber`: a pairing's progress changed. */
  'programme:pairing': (event: PairingProgressEvent) => void;
  /** To `user:<id>`: the person marked notifications read in one tab or device; the others follow. */
  'notifications:read': (event: NotificationsReadEvent) => void;
}

export interface ClientToServerEvents {
  /** Anyone: answered at once with the server's time; an unanswered beat tells the client it is offline. */
  'client:heartbeat': (ack: AckCallback<{ at: string }>) => void;
  /** Anyone; data is null for a socket without a session. */
  'session:whoami': (ack: AckCallback<MeResponse | null>) => void;
  /** Signed-in users: colleagues in their own organisation. */
  'members:list': (ack: AckCallback<MembersResponse>) => void;
  /** Chamber staff: organisations by verification state (same query as GET /api/admin/organisations). */
  'chamber:organisations': (query: ListOrganisationsQuery, ack: AckCallback<OrganisationsResponse>) => void;
  /** Signed-in users: their organisation's (channel "org") or their own ("user") notifications after a seq. */
  'notifications:since': (query: NotificationsSinceQuery, ack: AckCallback<NotificationsResponse>) => void;
  /**
   * Signed-in users: which board updates this socket hears from now on (replaces the previous choice; `{}` =
   * the whole market, as on connect). Not remembered by the server: a client re-sends it after a reconnect.
   */
  'market:watch': (payload: MarketWatchPayload, ack: AckCallback<{ watching: MarketWatching }>) => void;
  /** Signed-in users: hear one campaign's progress live (`programme:campaign`) from now on. */
  'campaign:watch': (payload: CampaignWatchPayload, ack: AckCallback<{ campaignId: string }>) => void;
  // Market actions (docs/market.md "Socket actions"): the REST routes' bodies, services, answers and error codes.
  // Verified farms and restaurants (chamber staff with `onBehalfOf`); without an ack callback the event is ignored.
  /** POST /api/lots/:id/bids → the offer. */
  'market:bid': (payload: MarketActionPayload<'market:bid'>, ack: AckCallback<MarketOfferView>) => void;
  /** POST /api/bids/:id/counter → the offer. */
  'market:counter': (payload: MarketActionPayload<'market:counter'>, ack: AckCallback<MarketOfferView>) => void;
  /** POST /api/bids/:id/accept (Idempotency-Key required here) → the order, the offer and the lot after it. */
  'market:accept': (
    payload: MarketActionPayload<'market:accept'>,
    ack: AckCallback<{ order: MarketOrderView; offer: MarketOfferView; lot?: MarketLotView }>,
  ) => void;
  /** POST /api/bids/:id/reject → the offer. */
  'market:reject': (payload: MarketActionPayload<'market:reject'>, ack: AckCallback<MarketOfferView>) => void;
  /** POST /api/bids/:id/withdraw → the offer. */
  'market:withdraw': (payload: MarketActionPayload<'market:withdraw'>, ack: AckCallback<MarketOfferView>) => void;
  /** POST /api/lots/:id/clock/take (Idempotency-Key required here) → the order and the lot after it. */
  'market:clockTake': (
    payload: MarketActionPayload<'market:clockTake'>,
    ack: AckCallback<{ order: MarketOrderView; lot?: MarketLotView }>,
  ) => void;
}

/** A lot, offer or order as the REST API shows it (instants as ISO strings); client/src/state/market-types.ts types them. */
type MarketLotView = Record<string, unknown> & { id: string };
type MarketOfferView = Record<string, unknown> & { id: string };
type MarketOrderView = Record<string, unknown> & { id: string };

/**
 * An event sent to `org:<id>` or `user:<id>` as it arrives: stored first, so it carries its `seq` on
 * that channel (absent only if storing failed). See docs/notifications-openapi.md.
 */
export type SequencedEvent<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0] & Sequenced;

export type ClientEventName = keyof ClientToServerEvents;
export const CLIENT_EVENT_NAMES: readonly ClientEventName[] = [
  'session:whoami',
  'members:list',
  'chamber:organisations',
  'notifications:since',
  'market:watch',
  'campaign:watch',
  'market:bid',
  'market:counter',
  'market:accept',
  'market:reject',
  'market:withdraw',
  'market:clockTake',
  'client:heartbeat',
];

/** The answer to `client:heartbeat`. */
export type HeartbeatAck = Ack<{ at: string }>;
