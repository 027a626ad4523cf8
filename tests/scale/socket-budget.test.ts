import { createSocketBudget, type BudgetedSocket, type SocketBudgetPolicy } from '../../server/realtime/socket-budget';
import { createTokenBucket } from '../../server/realtime/token-bucket';

type Middleware = (packet: unknown[], next: (err?: Error) => void) => void;

/** A socket that runs its `use` middlewares like socket.io does, and records what reached the handler. */
function aSocket(id = 's1') {
  const middlewares: Middleware[] = [];
  const onDisconnect: (() => void)[] = [];
  const handled: unknown[][] = [];
  let disconnected = false;
  const socket: BudgetedSocket = {
    id,
    use: (m) => middlewares.push(m),
    on: (_event, listener) => onDisconnect.push(listener),
    disconnect: () => {
      disconnected = true;
      onDisconnect.forEach((l) => l());
    },
  };
  return {
    socket,
    handled,
    isDisconnected: () => disconnected,
    /** Sends an event; resolves with the ack the server gave (or undefined if none yet). */
    send(name: string, withAck = true) {
      const acks: unknown[] = [];
      const packet: unknown[] = [name, { x: 1 }, ...(withAck ? [(r: unknown) => acks.push(r)] : [])];
      let i = 0;
      const next = () => {
        const m = middlewares[i++];
        if (m) m(packet, next);
        else handled.push(packet);
      };
      next();
      return acks;
    },
    /** The handler answers the n-th handled event (its ack, as the handler sees it). */
    answer(n: number) {
      const packet = handled[n];
      (packet[packet.length - 1] as (r: unknown) => void)({ ok: true, data: null });
    },
  };
}

const policy: SocketBudgetPolicy = {
  perSocket: { ratePerSecond: 10, burst: 5 },
  perUser: { ratePerSecond: 15, burst: 8 },
  maxInFlight: 3,
  abuse: { refusals: 20, windowMs: 1_000 },
};

describe('token bucket', () => {
  it('allows the burst, then one event per 1/rate seconds, and says how long to wait', () => {
    const bucket = createTokenBucket({ ratePerSecond: 10, burst: 3 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)].every((t) => t.ok)).toBe(true);
    expect(bucket.take(0)).toEqual({ ok: false, retryAfterMs: 100 });
    expect(bucket.take(100).ok).toBe(true);
    expect(bucket.level(10_000)).toBe(3); // never more than the burst
  });
});

describe('socket budget', () => {
  it('when one socket sends more than its burst at once, then the extra events are not handled and their acks say RATE_LIMITED with a retry hint', () => {
    let now = 0;
    const budget = createSocketBudget(policy, { nowMs: () => now });
    const s = aSocket();
    budget.guard(s.socket, 'u1');
    const acks = Array.from({ length: 7 }, () => s.send('market:bid', false));
    expect(s.handled).toHaveLength(5);
    const refused = s.send('market:bid');
    expect(refused[0]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', details: { retryAfterMs: 100 } } });
    expect(acks.flat()).toEqual([]);
    now = 1_000; // a second later the bucket has refilled
    s.send('market:bid', false);
    expect(s.handled).toHaveLength(6);
  });

  it('when a user spreads events over several sockets, then the user budget still holds', () => {
    const budget = createSocketBudget(policy, { nowMs: () => 0 });
    const sockets = [aSocket('a'), aSocket('b'), aSocket('c')];
    sockets.forEach((s) => budget.guard(s.socket, 'u1'));
    for (let i = 0; i < 4; i++) sockets.forEach((s) => s.send('x', false));
    const handled = sockets.reduce((n, s) => n + s.handled.length, 0);
    expect(handled).toBe(8); // the user's burst, although each socket alone would allow 5 × 3
  });

  it('when a socket already has maxInFlight handlers running, then the next acknowledged event is refused until one answers', () => {
    let now = 0;
    const budget = createSocketBudget(policy, { nowMs: () => now });
    const s = aSocket();
    budget.guard(s.socket, undefined);
    s.send('a');
    s.send('b');
    s.send('c');
    expect(s.send('d')[0]).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    s.answer(0);
    now = 500;
    expect(s.send('e')).toEqual([]); // accepted: not answered yet
    expect(s.handled.map((p) => p[0])).toEqual(['a', 'b', 'c', 'e']);
  });

  it('when a socket keeps flooding, then it is disconnected; others of the same user are not', () => {
    const budget = createSocketBudget(policy, { nowMs: () => 0 });
    const flooder = aSocket('f');
    const calm = aSocket('c');
    budget.guard(flooder.socket, 'u1');
    budget.guard(calm.socket, 'u1');
    for (let i = 0; i < 30; i++) flooder.send('x', false);
    expect(flooder.isDisconnected()).toBe(true);
    expect(calm.isDisconnected()).toBe(false);
  });

  it('forgets a user when their last socket disconnects (nothing grows without bound)', () => {
    const budget = createSocketBudget(policy, { nowMs: () => 0 });
    const a = aSocket('a');
    const b = aSocket('b');
    budget.guard(a.socket, 'u1');
    budget.guard(b.socket, 'u1');
    a.socket.disconnect();
    expect(budget.trackedUsers()).toBe(1);
    b.socket.disconnect();
    expect(budget.trackedUsers()).toBe(0);
  });
});
