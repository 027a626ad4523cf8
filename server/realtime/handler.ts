/**
 * The one socket-handler factory: every client→server event is declared with `socketHandler({...})` and
 * goes through the same steps, in this order —
 *   1. who acts: the user is re-read on every event (a logout, password change, removal or suspension since
 *      the handshake stops the next action); `access` says whether a signed-in, or verified, user is needed;
 *   2. the rate-limit hook (SocketContext.rateLimit; a no-op until a limiter is plugged in);
 *   3. the payload, parsed with the shared schema (a failure names the fields);
 *   4. the handler, which returns an Outcome;
 *   5. the ack: server/realtime/ack.ts ackOf, the one mapping from a failure to an ack; a thrown error is
 *      logged and answered with a generic INTERNAL.
 */
import type { z } from 'zod';
import { invalidIssues, type Failure } from '../../shared/failures';
import type { Ack } from '../../shared/events';
import { verificationRefusal } from '../http/guards';
import type { Outcome } from '../outcome';
import type { AuthenticatedUser } from '../principal';
import { ackFunction, answer, signedIn } from './ack';
import type { SocketContext, SocketRateLimit } from './context';

export type { SocketRateLimit } from './context';

/** Who may send the event: anyone (the handler gets null for an anonymous socket), a signed-in user, or one whose organisation is verified. */
export type SocketAccess = 'public' | 'signed-in' | 'verified';

/**
 * How the client emits the event:
 * `none` — `emit(event, ack)`; `optional` — `emit(event, payload?, ack)`; `required` — `emit(event, payload, ack)`.
 */
type PayloadArity = 'none' | 'optional' | 'required';

/** A payload parser: a zod schema fits; so does anything with the same `safeParse`. */
export interface PayloadSchema<P> {
  safeParse(
    value: unknown,
  ): { success: true; data: P } | { success: false; error: { issues: readonly z.core.$ZodIssue[] } };
}

export const noRateLimit: SocketRateLimit = () => null;

type UserFor<A extends SocketAccess> = A extends 'public' ? AuthenticatedUser | null : AuthenticatedUser;

export interface SocketHandlerSpec<A extends SocketAccess, P, T> {
  event: string;
  access: A;
  payload: PayloadArity;
  /** Parses the payload (`undefined` becomes `{}` for `optional`). Not needed for `none`. */
  schema?: PayloadSchema<P>;
  /** A permission check on the acting user beyond `access` (runs before the payload is parsed). */
  authorise?(user: UserFor<A>): Failure | null;
  /** Ignore an emit without an ack callback (trades nobody can hear the answer to are not made). */
  ackRequired?: boolean;
  /** Handle this socket's events of this kind one after another, in the order sent. */
  inOrder?: boolean;
  handle(input: { user: UserFor<A>; payload: P; ctx: SocketContext }): Promise<Outcome<T>>;
}

/** What a feature's registration hands to the realtime layer: called once per connected socket. */
export type SocketHandler = (ctx: SocketContext) => void;

export function socketHandler<A extends SocketAccess, P, T>(spec: SocketHandlerSpec<A, P, T>): SocketHandler {
  return (ctx) => {
    let previous: Promise<void> = Promise.resolve();
    const run = async (rawPayload: unknown, ack: (response: Ack<T>) => void) =>
      answer(ack, ctx.logger, async (): Promise<Outcome<T>> => {
        const current = await ctx.currentUser();
        let user: AuthenticatedUser | null = current;
        if (spec.access !== 'public') {
          const signed = signedIn(current);
          if (!signed.ok) return signed;
          user = signed.value;
          if (spec.access === 'verified') {
            const refusal = verificationRefusal(user.principal);
            if (refusal) return { ok: false, error: refusal };
          }
        }
        const refused = spec.authorise?.(user as UserFor<A>);
        if (refused) return { ok: false, error: refused };
        const limited = await ctx.rateLimit(spec.event, user);
        if (limited) return { ok: false, error: limited };
        let payload = undefined as P;
        if (spec.schema) {
          const parsed = spec.schema.safeParse(spec.payload === 'optional' ? (rawPayload ?? {}) : rawPayload);
          if (!parsed.success)
            return {
              ok: false,
              error: invalidIssues(parsed.error.issues, spec.payload === 'optional' ? (rawPayload ?? {}) : rawPayload),
            };
          payload = parsed.data;
        }
        return spec.handle({ user: user as UserFor<A>, payload, ctx });
      });

    (ctx.socket.on as (event: string, listener: (...args: unknown[]) => void) => void)(spec.event, (...args) => {
      // `optional`: emit(event, ack) is emit(event, {}, ack).
      const [payload, ackCandidate] =
        spec.payload === 'none'
          ? [undefined, args[0]]
          : typeof args[0] === 'function' && spec.payload === 'optional'
            ? [undefined, args[0]]
            : [args[0], args[1]];
      if (spec.ackRequired && typeof ackCandidate !== 'function') return;
      const ack = ackFunction<T>(ackCandidate);
      if (spec.inOrder) previous = previous.then(() => run(payload, ack));
      else void run(payload, ack);
    });
  };
}
