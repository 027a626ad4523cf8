import { createHash } from 'node:crypto';
import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SessionEndedEvent } from '../../shared/events';
import type { MarketWatching } from '../../shared/schemas/marketWatch';

export const organisationRoom = (organisationId: string) => `org:${organisationId}`;
export const userRoom = (userId: string) => `user:${userId}`;
export const CHAMBER_ROOM = 'chamber';
/**
 * The whole market board: new lots, withdrawals, clock sales, expiries, remaining stock. Every signed-in
 * socket starts here; `market:watch` (features/market/market.watch.ts) narrows it to the rooms below.
 */
export const MARKET_BOARD_ROOM = 'market:board';
export const boardProductRoom = (productCode: string) => `board:p:${productCode}`;
export const boardRegionRoom = (region: string) => `board:r:${region}`;
/** Watching products and regions together means those products from those regions: one room per pair. */
export const boardPairRoom = (productCode: string, region: string) => `board:pr:${productCode}|${region}`;
export const isBoardRoom = (room: string) => room === MARKET_BOARD_ROOM || room.startsWith('board:');

/** Where on the board a lot is; either part may be unknown (lots posted before regions were kept). */
export interface BoardPlace {
  productCode?: string;
  region?: string;
}

/** Every room a board update about a lot at `place` goes to: a socket is in at most the ones it chose. */
export function boardRoomsFor({ productCode, region }: BoardPlace): string[] {
  return [
    MARKET_BOARD_ROOM,
    ...(productCode ? [boardProductRoom(productCode)] : []),
    ...(region ? [boardRegionRoom(region)] : []),
    ...(productCode && region ? [boardPairRoom(productCode, region)] : []),
  ];
}

/** The rooms a socket joins to watch `watching`: products, regions, or their pairs; nothing named = the whole market. */
export function boardRoomsWatching({ productCodes, regions }: MarketWatching): string[] {
  if (productCodes.length > 0 && regions.length > 0)
    return productCodes.flatMap((p) => regions.map((r) => boardPairRoom(p, r)));
  if (productCodes.length > 0) return productCodes.map(boardProductRoom);
  if (regions.length > 0) return regions.map(boardRegionRoom);
  return [MARKET_BOARD_ROOM];
}
/** Session ids are secrets: the room carries a hash of one, never the id itself. */
export const sessionRoom = (sessionId: string) =>
  `sid:${createHash('sha256').update(sessionId).digest('base64url').slice(0, 22)}`;

type EventName = keyof ServerToClientEvents;
type Payload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents>;

/** What services call to tell connected users about changes. A no-op until a socket.io server is attached. */
export interface Publisher {
  toOrganisation<E extends EventName>(organisationId: string, event: E, payload: Payload<E>): void;
  toUser<E extends EventName>(userId: string, event: E, payload: Payload<E>): void;
  toChamber<E extends EventName>(event: E, payload: Payload<E>): void;
  /** Any other room by name, unsequenced (e.g. `campaign:<id>`, which sockets join with `campaign:watch`). */
  toRoom<E extends EventName>(room: string, event: E, payload: Payload<E>): void;
  /**
   * Public market changes, for the boards watching the lot's product or region (or the whole market), except
   * the organisations named (they hear the full event in their own rooms) and the chamber (likewise). A socket
   * in several of those rooms hears it once. Never put one organisation's private terms here.
   */
  toMarketBoard<E extends EventName>(
    event: E,
    payload: Payload<E>,
    exceptOrganisationIds: readonly string[],
    place?: BoardPlace,
  ): void;
  /** Tells the user's sockets why, then disconnects them (password reset, removal). */
  endUserSockets(userId: string, reason: SessionEndedEvent['reason']): void;
  endSessionSockets(sessionId: string, reason: SessionEndedEvent['reason']): void;
}

/**
 * Stores what goes to an organisation or user room and hands the emit its seq
 * (features/notifications). `emit` must be called exactly once, with the stamped payload.
 */
export type Sequencer = (room: string, event: EventName, payload: unknown, emit: (payload: unknown) => void) => void;

export interface Hub extends Publisher {
  attach(io: RealtimeServer): void;
  detach(): void;
  /** From now on, organisation and user events are persisted and sequenced before they go out. */
  useSequencer(sequencer: Sequencer): void;
}

export function createHub(): Hub {
  let io: RealtimeServer | undefined;
  let sequencer: Sequencer | undefined;
  const emitTo = <E extends EventName>(room: string, event: E, payload: Payload<E>) => {
    if (!io) return;
    // The public methods are typed per event; socket.io's own overloads cannot follow a generic E.
    (io.to(room) as unknown as { emit(e: string, p: unknown): boolean }).emit(event, payload);
  };
  const sequenced = <E extends EventName>(room: string, event: E, payload: Payload<E>) => {
    if (sequencer) sequencer(room, event, payload, (stamped) => emitTo(room, event, stamped as Payload<E>));
    else emitTo(room, event, payload);
  };
  const end = (room: string, reason: SessionEndedEvent['reason']) => {
    if (!io) return;
    io.to(room).emit('session:ended', { reason });
    io.in(room).disconnectSockets(true);
  };
  return {
    attach(server) {
      io = server;
    },
    detach() {
      io = undefined;
    },
    useSequencer(next) {
      sequencer = next;
    },
    toOrganisation(organisationId, event, payload) {
      sequenced(organisationRoom(organisationId), event, payload);
    },
    toUser(userId, event, payload) {
      sequenced(userRoom(userId), event, payload);
    },
    toChamber(event, payload) {
      emitTo(CHAMBER_ROOM, event, payload);
    },
    toRoom(room, event, payload) {
      emitTo(room, event, payload);
    },
    toMarketBoard(event, payload, exceptOrganisationIds, place = {}) {
      if (!io) return;
      const except = [CHAMBER_ROOM, ...exceptOrganisationIds.map(organisationRoom)];
      (io.to(boardRoomsFor(place)).except(except) as unknown as { emit(e: string, p: unknown): boolean }).emit(
        event,
        payload,
      );
    },
    endUserSockets(userId, reason) {
      end(userRoom(userId), reason);
    },
    endSessionSockets(sessionId, reason) {
      end(sessionRoom(sessionId), reason);
    },
  };
}
