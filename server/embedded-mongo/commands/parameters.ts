import { isPlainObject, type Doc } from '../engine/bson-values';
import { MongoServerError } from '../engine/errors';
import { hasOwn } from '../engine/own';
import type { CommandContext, CommandHandler, ServerState } from './context';

/**
 * getParameter / setParameter for the server parameters this server honours. Read-only ones
 * answer getParameter only; settable ones live per server, in memory (like mongod's runtime
 * setParameter, they reset on restart).
 *   notablescan                      find/count/distinct/aggregate refuse a collection scan (291)
 *   featureCompatibilityVersion      7.0, read-only
 *   authenticationMechanisms         none (no authentication), read-only
 *   javascriptEnabled                false: $where and server-side JavaScript are off, read-only
 */
interface Parameter {
  read: (state: ServerState) => unknown;
  set?: (state: ServerState, value: unknown) => void;
}

const settings = new WeakMap<ServerState, { notablescan: boolean }>();

function settingsOf(state: ServerState): { notablescan: boolean } {
  let s = settings.get(state);
  if (s === undefined) {
    s = { notablescan: false };
    settings.set(state, s);
  }
  return s;
}

export function noTableScan(state: ServerState): boolean {
  return settingsOf(state).notablescan;
}

const PARAMETERS: Record<string, Parameter> = {
  notablescan: {
    read: (state) => settingsOf(state).notablescan,
    set: (state, value) => {
      if (typeof value !== 'boolean' && typeof value !== 'number') {
        throw new MongoServerError(14, "BSON field 'notablescan' is the wrong type, expected a boolean");
      }
      settingsOf(state).notablescan = Boolean(value);
    },
  },
  featureCompatibilityVersion: { read: () => ({ version: '7.0' }) },
  authenticationMechanisms: { read: () => [] },
  javascriptEnabled: { read: () => false },
};

function requireAdmin(ctx: CommandContext, name: string): void {
  if (ctx.db !== 'admin') throw new MongoServerError(13, `${name} may only be run against the admin database.`);
}

export const getParameter: CommandHandler = (cmd, ctx) => {
  requireAdmin(ctx, 'getParameter');
  const all = cmd.getParameter === '*' || (isPlainObject(cmd.getParameter) && cmd.getParameter.allParameters === true);
  const reply: Doc = {};
  const names = all
    ? Object.keys(PARAMETERS)
    : Object.keys(cmd).filter((k) => k !== 'getParameter' && !k.startsWith('$') && k !== 'lsid' && k !== 'comment');
  for (const name of names) {
    if (!hasOwn(PARAMETERS, name)) {
      if (all) continue;
      throw new MongoServerError(72, 'no option found to get');
    }
    reply[name] = PARAMETERS[name].read(ctx.server);
  }
  reply.ok = 1;
  return reply;
};

export const setParameter: CommandHandler = (cmd, ctx) => {
  requireAdmin(ctx, 'setParameter');
  const names = Object.keys(cmd).filter(
    (k) => k !== 'setParameter' && !k.startsWith('$') && k !== 'lsid' && k !== 'comment',
  );
  if (names.length === 0) throw new MongoServerError(2, 'no option found to set, use help:true to see options ');
  const reply: Doc = {};
  for (const name of names) {
    const p = hasOwn(PARAMETERS, name) ? PARAMETERS[name] : undefined;
    if (p === undefined) {
      throw new MongoServerError(
        72,
        `attempted to set unrecognized parameter [${name}], use help:true to see options `,
      );
    }
    if (p.set === undefined) throw new MongoServerError(72, `not allowed to change [${name}] at runtime`);
    reply.was = p.read(ctx.server);
    p.set(ctx.server, cmd[name]);
  }
  reply.ok = 1;
  return reply;
};
