import { z } from 'zod';
import type { Ack } from '../../shared/events';
import { commonFailure } from '../../shared/failures';
import { success } from '../../server/outcome';
import type { AuthenticatedUser } from '../../server/principal';
import type { SocketContext } from '../../server/realtime/context';
import { socketHandler, type SocketRateLimit } from '../../server/realtime/handler';

type Listener = (...args: unknown[]) => void;

function aUser(over: { verification?: string; mustChangePassword?: boolean } = {}): AuthenticatedUser {
  return {
    id: 'u1',
    mustChangePassword: over.mustChangePassword ?? false,
    sessionEpoch: 0,
    principal: {
      userId: 'u1',
      organisationId: 'o1',
      kind: 'restaurant',
      role: 'member',
      isAdmin: false,
      verification: over.verification ?? 'verified',
    },
  } as unknown as AuthenticatedUser;
}

/** A socket that records its listeners; `emit` calls one and resolves with the ack it got. */
function fakeContext(user: AuthenticatedUser | null, rateLimit: SocketRateLimit = () => null) {
  const listeners = new Map<string, Listener>();
  const errors: unknown[] = [];
  const ctx = {
    socket: { on: (event: string, listener: Listener) => listeners.set(event, listener) },
    logger: { error: (entry: unknown) => errors.push(entry) },
    now: () => new Date(0),
    currentUser: async () => user,
    rateLimit,
  } as unknown as SocketContext;
  const emit = (event: string, ...args: unknown[]) =>
    new Promise<Ack<unknown>>((resolve) => listeners.get(event)?.(...args, resolve));
  return { ctx, emit, errors, listeners };
}

const echo = socketHandler({
  event: 'test:echo',
  access: 'verified',
  payload: 'required',
  schema: z.object({ quantityGrams: z.number().int().positive() }),
  handle: async ({ payload, user }) => success({ quantityGrams: payload.quantityGrams, by: user.id }),
});

describe('socketHandler: one factory for every client→server event', () => {
  it('parses the payload, passes the acting user, and acks the value', async () => {
    const { ctx, emit } = fakeContext(aUser());
    echo(ctx);
    expect(await emit('test:echo', { quantityGrams: 5000 })).toEqual({
      ok: true,
      data: { quantityGrams: 5000, by: 'u1' },
    });
  });

  it('refuses an anonymous socket, a one-time password and an unverified organisation, in that order', async () => {
    for (const [user, code] of [
      [null, 'UNAUTHENTICATED'],
      [aUser({ mustChangePassword: true }), 'PASSWORD_CHANGE_REQUIRED'],
      [aUser({ verification: 'pending' }), 'VERIFICATION_PENDING'],
    ] as const) {
      const { ctx, emit } = fakeContext(user);
      echo(ctx);
      const ack = await emit('test:echo', { quantityGrams: 5000 });
      expect(ack.ok ? null : ack.error.code).toBe(code);
    }
  });

  it('names the fields of a bad payload', async () => {
    const { ctx, emit } = fakeContext(aUser());
    echo(ctx);
    expect(await emit('test:echo', { quantityGrams: -1 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { fields: { quantityGrams: expect.any(String) } } },
    });
  });

  it('asks the rate-limit hook before the handler, and acks its refusal with retryAfterSeconds', async () => {
    const asked: string[] = [];
    const { ctx, emit } = fakeContext(aUser(), (event, user) => {
      asked.push(`${event}:${user?.id}`);
      return commonFailure('RATE_LIMITED', 'Slow down', { retryAfterSeconds: 7 });
    });
    let ran = false;
    socketHandler({
      event: 'test:limited',
      access: 'signed-in',
      payload: 'none',
      handle: async () => {
        ran = true;
        return success(null);
      },
    })(ctx);
    expect(await emit('test:limited')).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', message: 'Slow down', details: { retryAfterSeconds: 7 } },
    });
    expect(asked).toEqual(['test:limited:u1']);
    expect(ran).toBe(false);
  });

  it('checks a permission before parsing', async () => {
    const { ctx, emit } = fakeContext(aUser());
    socketHandler({
      event: 'test:chamber',
      access: 'signed-in',
      payload: 'optional',
      schema: z.object({ limit: z.number() }),
      authorise: () => commonFailure('FORBIDDEN', 'Chamber staff only'),
      handle: async () => success(null),
    })(ctx);
    const ack = await emit('test:chamber', { limit: 'many' });
    expect(ack.ok ? null : ack.error.code).toBe('FORBIDDEN');
  });

  it('takes an optional payload left out (emit(event, ack)) as {}', async () => {
    const { ctx, emit } = fakeContext(null);
    socketHandler({
      event: 'test:optional',
      access: 'public',
      payload: 'optional',
      schema: z.object({ limit: z.number().default(10) }),
      handle: async ({ payload, user }) => success({ ...payload, anonymous: user === null }),
    })(ctx);
    expect(await emit('test:optional')).toEqual({ ok: true, data: { limit: 10, anonymous: true } });
  });

  it('answers a thrown error with a generic INTERNAL and logs it', async () => {
    const { ctx, emit, errors } = fakeContext(aUser());
    socketHandler({
      event: 'test:boom',
      access: 'signed-in',
      payload: 'none',
      handle: async () => {
        throw new Error('secret detail');
      },
    })(ctx);
    expect(await emit('test:boom')).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Something went wrong on our side.' },
    });
    expect(errors).toHaveLength(1);
  });

  it('ignores an emit without an ack when the event needs one', async () => {
    const { ctx, listeners } = fakeContext(aUser());
    let ran = false;
    socketHandler({
      event: 'test:trade',
      access: 'verified',
      payload: 'required',
      ackRequired: true,
      handle: async () => {
        ran = true;
        return success(null);
      },
    })(ctx);
    listeners.get('test:trade')?.({});
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ran).toBe(false);
  });
});
