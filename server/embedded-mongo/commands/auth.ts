import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { Binary, Int32 } from 'bson';
import type { Doc } from '../engine/bson-values';
import { MongoServerError } from '../engine/errors';

/**
 * SCRAM (RFC 5802/7677) as mongod speaks it, for the one user of a TCP-listening embedded server.
 * SCRAM-SHA-256 is what current drivers choose; SCRAM-SHA-1 is kept because older drivers
 * (pymongo 3 with an old server version, some tools) only offer it. As in mongod, SCRAM-SHA-1
 * salts MD5("user:mongo:password") rather than the password itself.
 *
 * Only the derived keys are kept in memory, never the password.
 */
export type ScramMechanism = 'SCRAM-SHA-1' | 'SCRAM-SHA-256';
export const SCRAM_MECHANISMS: readonly ScramMechanism[] = ['SCRAM-SHA-256', 'SCRAM-SHA-1'];

interface ScramKeys {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

export interface AuthUser {
  /** Users authenticate against `admin`, as `authSource=admin` says. */
  username: string;
  keys: Record<ScramMechanism, ScramKeys>;
}

/** mongod's defaults (scramIterationCount, scramSHA256IterationCount). */
const ITERATIONS: Record<ScramMechanism, number> = { 'SCRAM-SHA-1': 10_000, 'SCRAM-SHA-256': 15_000 };
const HASH: Record<ScramMechanism, 'sha1' | 'sha256'> = { 'SCRAM-SHA-1': 'sha1', 'SCRAM-SHA-256': 'sha256' };

function hmac(mechanism: ScramMechanism, key: Buffer, text: string | Buffer): Buffer {
  return createHmac(HASH[mechanism], key).update(text).digest();
}

function hash(mechanism: ScramMechanism, data: Buffer): Buffer {
  return createHash(HASH[mechanism]).update(data).digest();
}

function scramKeys(mechanism: ScramMechanism, username: string, password: string): ScramKeys {
  const secret =
    mechanism === 'SCRAM-SHA-1'
      ? createHash('md5').update(`${username}:mongo:${password}`).digest('hex')
      : password.normalize('NFKC'); // SASLprep for the passwords people type; exotic code points aside
  const salt = randomBytes(mechanism === 'SCRAM-SHA-1' ? 16 : 28);
  const iterations = ITERATIONS[mechanism];
  const salted = pbkdf2Sync(secret, salt, iterations, mechanism === 'SCRAM-SHA-1' ? 20 : 32, HASH[mechanism]);
  const clientKey = hmac(mechanism, salted, 'Client Key');
  return { salt, iterations, storedKey: hash(mechanism, clientKey), serverKey: hmac(mechanism, salted, 'Server Key') };
}

export function createAuthUser(username: string, password: string): AuthUser {
  return {
    username,
    keys: {
      'SCRAM-SHA-1': scramKeys('SCRAM-SHA-1', username, password),
      'SCRAM-SHA-256': scramKeys('SCRAM-SHA-256', username, password),
    },
  };
}

/** Per-connection authentication state. */
export interface ConnectionAuth {
  authenticated: boolean;
  conversation?: {
    id: number;
    mechanism: ScramMechanism;
    clientFirstBare: string;
    serverFirst: string;
    nonce: string;
    /** Set once the proof checked out and the server signature was sent (skipEmptyExchange off). */
    verified?: boolean;
  };
  nextConversationId: number;
}

export function newConnectionAuth(): ConnectionAuth {
  return { authenticated: false, nextConversationId: 1 };
}

/** Commands that answer before authentication, as mongod's: the handshake and the SASL exchange. */
export const UNAUTHENTICATED_COMMANDS = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'buildInfo',
  'buildinfo',
  'saslStart',
  'saslContinue',
  'getnonce',
  'logout',
  'endSessions',
  'whatsmyuri',
]);

function authFailed(): MongoServerError {
  return new MongoServerError(18, 'Authentication failed.');
}

function parseAttributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) out.set(part[0], part.slice(2));
  }
  return out;
}

function unescapeUsername(name: string): string {
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

function payloadText(cmd: Doc): string {
  const p = cmd.payload;
  if (p instanceof Binary) return Buffer.from(p.buffer).toString('utf8');
  if (typeof p === 'string') return Buffer.from(p, 'base64').toString('utf8');
  throw new MongoServerError(14, "BSON field 'payload' is the wrong type, expected type 'binData'");
}

function payloadReply(conversationId: number, done: boolean, text: string): Doc {
  return {
    conversationId: new Int32(conversationId),
    done,
    payload: new Binary(Buffer.from(text, 'utf8')),
    ok: 1,
  };
}

/** saslStart: checks the mechanism and user, answers with the salt, iteration count and combined nonce. */
export function saslStart(cmd: Doc, db: string, user: AuthUser, auth: ConnectionAuth): Doc {
  const mechanism = cmd.mechanism;
  if (mechanism !== 'SCRAM-SHA-1' && mechanism !== 'SCRAM-SHA-256') {
    throw new MongoServerError(2, `Received authentication for mechanism ${String(mechanism)} which is not enabled`);
  }
  auth.authenticated = false;
  auth.conversation = undefined;
  const text = payloadText(cmd);
  if (!text.startsWith('n,')) throw authFailed(); // no channel binding over plain TCP
  const clientFirstBare = text.slice(text.indexOf(',', 2) + 1);
  const attrs = parseAttributes(clientFirstBare);
  const clientNonce = attrs.get('r');
  if (db !== 'admin' || unescapeUsername(attrs.get('n') ?? '') !== user.username || !clientNonce) throw authFailed();
  const keys = user.keys[mechanism];
  const nonce = clientNonce + randomBytes(24).toString('base64');
  const serverFirst = `r=${nonce},s=${keys.salt.toString('base64')},i=${keys.iterations}`;
  const id = auth.nextConversationId++;
  auth.conversation = { id, mechanism, clientFirstBare, serverFirst, nonce };
  return payloadReply(id, false, serverFirst);
}

/** saslContinue: verifies the client proof; answers with the server signature. */
export function saslContinue(cmd: Doc, user: AuthUser, auth: ConnectionAuth): Doc {
  const conversation = auth.conversation;
  if (!conversation) throw new MongoServerError(17, 'No SASL session state found');
  if (conversation.verified) {
    // The client's empty final message (drivers that do not ask to skip it).
    auth.conversation = undefined;
    auth.authenticated = true;
    return payloadReply(conversation.id, true, '');
  }
  const text = payloadText(cmd);
  const proofAt = text.lastIndexOf(',p=');
  if (proofAt < 0) throw authFailed();
  const withoutProof = text.slice(0, proofAt);
  const attrs = parseAttributes(text);
  if (attrs.get('r') !== conversation.nonce) {
    auth.conversation = undefined;
    throw authFailed();
  }
  const keys = user.keys[conversation.mechanism];
  const authMessage = `${conversation.clientFirstBare},${conversation.serverFirst},${withoutProof}`;
  const signature = hmac(conversation.mechanism, keys.storedKey, authMessage);
  const proof = Buffer.from(attrs.get('p') ?? '', 'base64');
  if (proof.length !== signature.length) {
    auth.conversation = undefined;
    throw authFailed();
  }
  const clientKey = Buffer.alloc(proof.length);
  for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i] ^ signature[i];
  if (!timingSafeEqual(hash(conversation.mechanism, clientKey), keys.storedKey)) {
    auth.conversation = undefined;
    throw authFailed();
  }
  const serverSignature = hmac(conversation.mechanism, keys.serverKey, authMessage).toString('base64');
  const options = cmd.options;
  const skipEmpty = typeof options === 'object' && options !== null && (options as Doc).skipEmptyExchange === true;
  if (skipEmpty) {
    auth.conversation = undefined;
    auth.authenticated = true;
    return payloadReply(conversation.id, true, `v=${serverSignature}`);
  }
  conversation.verified = true;
  return payloadReply(conversation.id, false, `v=${serverSignature}`);
}

export function unauthorized(command: string): MongoServerError {
  return new MongoServerError(13, `Command ${command} requires authentication`);
}
