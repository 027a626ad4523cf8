import { createHash } from 'node:crypto';
import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, SessionEndedEvent } from '../../shared/events';

export const organisationRoom = (organisationId: string) => `org:${organisationId}`;
export const userRoom = (userId: string) => `user:${userId}`;
export const CHAMBER_ROOM = 'chamber';
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
   * Public changes, for everyone in `rooms` (e.g. the market board's, features/market/market.rooms.ts), except
   * the organisations named (they hear the full event in their own rooms) and the chamber (likewise). A socket
   * in several of those rooms hears it once. Never put one organisation's private terms here.
   */
  toPublicRooms<E extends EventName>(
    rooms: readonly string[],
    event: E,
    payload: Payload<E>,
    exceptOrganisationIds: readonly string[],
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
    toPublicRooms(rooms, event, payload, exceptOrganisationIds) {
      if (!io) return;
      const except = [CHAMBER_ROOM, ...exceptOrganisationIds.map(organisationRoom)];
      (io.to([...rooms]).except(except) as unknown as { emit(e: string, p: unknown): boolean }).emit(event, payload);
    },
    endUserSockets(userId, reason) {
      end(userRoom(userId), reason);
    },
    endSessionSockets(sessionId, reason) {
      end(sessionRoom(sessionId), reason);
    },
  };
}
