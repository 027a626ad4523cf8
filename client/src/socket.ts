import { io, type Socket } from 'socket.io-client';
import type { Ack, AckCallback, ClientToServerEvents, SequencedEvent, ServerToClientEvents } from '../../shared/events';
import type { MarketActionEvent, MarketActionPayload } from '../../shared/schemas/market-socket';
import type { NotificationChannel, Sequenced } from '../../shared/schemas/notifications';
import type { WatchChannel } from './state/board-watch';
import type { HeartbeatChannel } from './state/connection';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Same-origin socket.io; the session cookie rides along with the handshake. Opened after
 * sign-in and closed at sign-out so the server puts it in the right rooms.
 */
export function connectSocket(): AppSocket {
  return io({ withCredentials: true, transports: ['websocket', 'polling'] });
}

// ---- market actions (docs/market.md "Socket actions")

/** What a market action's ack carries on success. */
type ActionData<E extends MarketActionEvent> =
  Parameters<ClientToServerEvents[E]>[1] extends AckCallback<infer T> ? T : never;

/** The socket as the market's actions use it (state/marketApi.ts); a fake in tests. */
export interface ActionChannel {
  readonly connected: boolean;
  /** Emits and waits for the ack; rejects after `timeoutMs`, or when the socket drops before answering. */
  send<E extends MarketActionEvent>(
    event: E,
    payload: MarketActionPayload<E>,
    timeoutMs: number,
  ): Promise<Ack<ActionData<E>>>;
}

/** `live`: whether the heartbeat still hears the server (a socket.io socket stays "connected" for ~45 s on a dead network). */
export function actionChannel(socket: AppSocket, live: () => boolean = () => true): ActionChannel {
  return {
    get connected() {
      return socket.connected && live();
    },
    send(event, payload, timeoutMs) {
      // socket.io's emitWithAck overloads cannot follow a generic event name.
      const timed = socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<never> };
      return timed.emitWithAck(event, payload);
    },
  };
}

// ---- heartbeat (state/connection.ts keepHeartbeat, server/realtime/heartbeat.ts)

export function heartbeatChannel(socket: AppSocket): HeartbeatChannel {
  return {
    get connected() {
      return socket.connected;
    },
    // Volatile: a beat is never buffered to be sent after a reconnect.
    beat: (timeoutMs) => socket.volatile.timeout(timeoutMs).emitWithAck('client:heartbeat'),
    drop() {
      // Closing the engine discards what it buffered (a ghost accept must not go out later); socket.io then
      // reconnects by itself, and the connect handler asks what happened to pending actions.
      socket.io.engine?.close();
    },
  };
}

// ---- the board's product and region (docs/market-client.md)

function watchChannel(socket: AppSocket): WatchChannel {
  return { watch: (payload) => socket.timeout(10_000).emitWithAck('market:watch', payload) };
}

/**
 * Sends the board's choice over this socket whenever it changes and again on every connect: the server keeps
 * it only in the socket's rooms, and a new connection starts on the whole market.
 */
export function keepBoardWatch(
  socket: AppSocket,
  board: { useWatchChannel(channel: WatchChannel | null): void; sendWatch(): Promise<boolean> },
): void {
  board.useWatchChannel(watchChannel(socket));
  socket.on('connect', () => void board.sendWatch());
  if (socket.connected) void board.sendWatch();
}

// ---- catch-up after a reconnect (docs/notifications-openapi.md)

/** The last seq seen on each channel: the organisation's room and the user's own. */
type LastSeq = Record<NotificationChannel, number>;

type ServerEvent = keyof ServerToClientEvents;
type Handler<E extends ServerEvent> = (payload: SequencedEvent<E>) => void;

export interface LiveFeed {
  /** Like socket.on, but each stored event reaches the handler once, live or caught up, in seq order per channel. */
  on<E extends ServerEvent>(event: E, handler: Handler<E>): () => void;
  /**
   * Asks for everything after `lastSeq` (default: what this feed has seen) and dispatches what it has not
   * seen yet to the handlers, as if it had arrived live. Runs by itself on every reconnect. Returns how
   * many events it dispatched.
   */
  catchUp(lastSeq?: Partial<LastSeq>): Promise<number>;
  /** Where this feed stands; null on a channel until the first connect has set the starting point. */
  lastSeq(): Record<NotificationChannel, number | null>;
}

/**
 * Wraps a socket so the page misses nothing while it is offline: the server stamps every event for the
 * organisation or user with a `seq`; after a reconnect the feed asks `notifications:since` for the rest.
 * The first connect only sets the starting point (the page has just loaded its state over HTTP).
 */
export function liveFeed(socket: AppSocket, { retryGapAfterMs = 2000 }: { retryGapAfterMs?: number } = {}): LiveFeed {
  const handlers = new Map<ServerEvent, Set<(payload: unknown) => void>>();
  const last: Record<NotificationChannel, number | null> = { org: null, user: null };
  /** Seqs above `last` already dispatched (they arrived out of order or before the starting point). */
  const ahead: Record<NotificationChannel, Set<number>> = { org: new Set(), user: new Set() };
  let gapTimer: ReturnType<typeof setTimeout> | undefined;

  const advance = (channel: NotificationChannel) => {
    let at = last[channel];
    if (at === null) return;
    while (ahead[channel].has(at + 1)) ahead[channel].delete(++at);
    last[channel] = at;
  };
  const hasGap = () => CHANNELS.some((c) => ahead[c].size > 0 && last[c] !== null);

  /** Dispatches once per (channel, seq); unstamped events (chamber broadcasts) always pass. */
  const deliver = (event: ServerEvent, payload: unknown): boolean => {
    const { seq, channel } = (payload ?? {}) as Sequenced;
    if (seq !== undefined && channel) {
      const at = last[channel];
      if ((at !== null && seq <= at) || ahead[channel].has(seq)) return false;
      ahead[channel].add(seq);
      advance(channel);
      if (hasGap() && !gapTimer) gapTimer = setTimeout(() => void fillGaps(), retryGapAfterMs);
    }
    handlers.get(event)?.forEach((handler) => handler(payload));
    return true;
  };

  async function fetchChannel(channel: NotificationChannel, afterSeq: number | null): Promise<number> {
    let dispatched = 0;
    let after = afterSeq ?? 0;
    for (;;) {
      const ack = await socket
        .timeout(10_000)
        .emitWithAck('notifications:since', { channel, afterSeq: after, limit: afterSeq === null ? 0 : 200 });
      if (!ack.ok) return dispatched;
      const { items, latestSeq, hasMore } = ack.data;
      if (afterSeq === null) {
        // Starting point: nothing is replayed; anything already seen live above it stays seen.
        last[channel] = Math.max(last[channel] ?? 0, latestSeq);
        for (const seq of [...ahead[channel]]) if (seq <= latestSeq) ahead[channel].delete(seq);
        advance(channel);
        return 0;
      }
      for (const item of items) {
        if (deliver(item.type as ServerEvent, { ...item.payload, seq: item.seq, channel: item.channel }))
          dispatched += 1;
      }
      if (!hasMore || items.length === 0) return dispatched;
      after = items[items.length - 1].seq;
    }
  }

  async function catchUp(lastSeq: Partial<LastSeq> = {}): Promise<number> {
    let dispatched = 0;
    for (const channel of CHANNELS) {
      const from = lastSeq[channel] ?? last[channel];
      if (lastSeq[channel] !== undefined && last[channel] === null) last[channel] = lastSeq[channel];
      dispatched += await fetchChannel(channel, from);
    }
    return dispatched;
  }

  /** A seq is missing between two seen ones: ask once more, then give up on what is still missing (expired or never stored). */
  async function fillGaps(): Promise<void> {
    await catchUp();
    for (const channel of CHANNELS) {
      while (ahead[channel].size > 0 && last[channel] !== null) {
        last[channel] = Math.min(...ahead[channel]);
        ahead[channel].delete(last[channel]);
        advance(channel);
      }
    }
    gapTimer = undefined;
  }

  socket.on('connect', () => void catchUp());
  if (socket.connected) void catchUp();
  socket.on('disconnect', () => {
    clearTimeout(gapTimer);
    gapTimer = undefined;
  });

  return {
    on(event, handler) {
      let set = handlers.get(event);
      if (!set) {
        set = new Set();
        handlers.set(event, set);
        (socket.on as (e: string, fn: (p: unknown) => void) => void)(event, (payload) => deliver(event, payload));
      }
      const listener = handler as (payload: unknown) => void;
      set.add(listener);
      return () => set.delete(listener);
    },
    catchUp,
    lastSeq: () => ({ ...last }),
  };
}

const CHANNELS: readonly NotificationChannel[] = ['org', 'user'];
