import { Store } from './store';

export interface ConnectionState {
  /** null: no live connection wanted (signed out); true/false: connected and answering, or not. */
  live: boolean | null;
  /** The browser's own idea (navigator.onLine and its online/offline events). */
  browserOnline: boolean;
}

/**
 * Whether live updates are flowing, for the indicator and the offline banner (docs/offline.md). Three
 * sources, any of which can say "offline": the browser's offline event, the socket's disconnect, and an
 * unanswered `client:heartbeat` (the socket itself only notices a dead network after ~45 s).
 */
export class ConnectionStore extends Store<ConnectionState> {
  constructor(browserOnline = true) {
    super({ live: null, browserOnline });
  }

  set(live: boolean | null): void {
    if (live !== this.state.live) this.setState({ live });
  }

  setBrowserOnline(online: boolean): void {
    if (online !== this.state.browserOnline) this.setState({ browserOnline: online });
  }

  /** Signed in, but nothing live: what is shown may be out of date. */
  get offline(): boolean {
    return this.state.live === false || (this.state.live !== null && !this.state.browserOnline);
  }
}

interface HeartbeatTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface HeartbeatOptions {
  /** How often a beat is sent. */
  intervalMs?: number;
  /** How long a beat may wait for its answer before the connection counts as gone. */
  timeoutMs?: number;
  timers?: HeartbeatTimers;
}

/** What the heartbeat needs of the socket (socket.ts adapts socket.io; tests pass a fake). */
export interface HeartbeatChannel {
  readonly connected: boolean;
  /** Resolves when the server answered, rejects after `timeoutMs`. */
  beat(timeoutMs: number): Promise<unknown>;
  /** The network is gone: drop the connection (and anything buffered in it) and let it reconnect. */
  drop(): void;
}

/**
 * Beats every `intervalMs` while the socket is connected; one unanswered beat marks the connection
 * offline and drops it, so the indicator changes within interval + timeout (< 3 s) of the network going,
 * and nothing the transport buffered meanwhile is sent later behind the person's back.
 */
export function keepHeartbeat(
  channel: HeartbeatChannel,
  connection: ConnectionStore,
  { intervalMs = 800, timeoutMs = 1800, timers = globalThis }: HeartbeatOptions = {},
): () => void {
  let inFlight = false;
  const handle = timers.setInterval(() => {
    if (!channel.connected || inFlight) return;
    inFlight = true;
    channel.beat(timeoutMs).then(
      () => {
        inFlight = false;
        if (channel.connected) connection.set(true);
      },
      () => {
        inFlight = false;
        if (!channel.connected) return;
        connection.set(false);
        channel.drop();
      },
    );
  }, intervalMs);
  return () => timers.clearInterval(handle);
}
