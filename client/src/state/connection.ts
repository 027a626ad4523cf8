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

/** What the beats on the current connection have shown so far (for `looksOffline`). */
export interface BeatRecord {
  /** When this connection was first seen connected: its handshake was itself a round trip that succeeded. */
  connectedAt: number;
  /** When the last answer to any beat arrived; null before the first one. */
  lastAnswerAt: number | null;
  /** Beats sent since the last answer (or since connecting) and not answered yet. */
  unanswered: number;
}

export interface OfflineRule {
  /** Silence (no answer to any beat) longer than this, with `minMissed` beats unanswered, is an outage. */
  silenceMs: number;
  /** How many beats must be waiting for the silence to count (one late beat proves nothing). */
  minMissed: number;
  /** Before the first answer on a connection: how long its round trip may take (a slow phone's first beat). */
  firstAnswerMs: number;
}

/**
 * Beats are sent every 0.8 s without waiting for the previous answer, so on a slow but working link
 * (round trips of 2–3 s) answers still arrive every 0.8 s, only later: what marks an outage is the
 * *silence* since the last answer, not how long one beat took. 2 s of silence with 2 beats unanswered
 * means the indicator changes within 2.8 s of a real outage (silence + one interval) and a steady round
 * trip of any length is never taken for one. Before the first answer there is no flow to measure, so the
 * first round trip may take up to `firstAnswerMs`.
 */
export const OFFLINE_RULE: OfflineRule = { silenceMs: 2000, minMissed: 2, firstAnswerMs: 6000 };

/** The offline decision, pure: `now` in ms since the epoch. */
export function looksOffline(record: BeatRecord, now: number, rule: OfflineRule = OFFLINE_RULE): boolean {
  if (record.unanswered < rule.minMissed) return false;
  if (record.lastAnswerAt === null) return now - record.connectedAt > rule.firstAnswerMs;
  return now - record.lastAnswerAt > rule.silenceMs;
}

export interface HeartbeatOptions {
  /** How often a beat is sent. */
  intervalMs?: number;
  /** How long one beat's answer is waited for at most (a late answer still proves the link alive). */
  beatTimeoutMs?: number;
  rule?: OfflineRule;
  timers?: HeartbeatTimers;
  now?: () => number;
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
 * Beats every `intervalMs` while the socket is connected, several in flight at once; when `looksOffline`
 * says the answers stopped, marks the connection offline and drops it, so nothing the transport buffered
 * meanwhile is sent later behind the person's back. Any answer marks it live again.
 */
export function keepHeartbeat(
  channel: HeartbeatChannel,
  connection: ConnectionStore,
  {
    intervalMs = 800,
    beatTimeoutMs = 10_000,
    rule = OFFLINE_RULE,
    timers = globalThis,
    now = () => Date.now(),
  }: HeartbeatOptions = {},
): () => void {
  let record: BeatRecord | null = null;
  /** Answers to beats of an earlier connection prove nothing about this one. */
  let epoch = 0;
  const handle = timers.setInterval(() => {
    if (!channel.connected) {
      record = null;
      return;
    }
    if (record === null) {
      epoch += 1;
      record = { connectedAt: now(), lastAnswerAt: null, unanswered: 0 };
    }
    if (looksOffline(record, now(), rule)) {
      record = null;
      connection.set(false);
      channel.drop();
      return;
    }
    record.unanswered += 1;
    const sentIn = epoch;
    channel.beat(beatTimeoutMs).then(
      () => {
        if (sentIn !== epoch || record === null || !channel.connected) return;
        record.lastAnswerAt = now();
        record.unanswered = 0;
        connection.set(true);
      },
      () => {
        // Timed out: the silence rule decides, not one beat.
      },
    );
  }, intervalMs);
  return () => timers.clearInterval(handle);
}
