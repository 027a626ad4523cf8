import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import session from 'express-session';
import MongoStore from 'connect-mongo';
import type { Connection } from 'mongoose';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { bearerToken } from '../../shared/domain/api-token';
import type { Failure } from '../../shared/failures';
import { failure, success, type Outcome } from '../outcome';
import type { AuthenticatedUser, SessionPassport } from '../principal';
import type { InvalidationBus } from '../realtime/invalidations';
import { errorOf } from './failure-status';
import { cacheSessions } from './session-cache';

const SESSION_COOKIE = 'fl.sid';
const SESSION_TTL_SECONDS = 30 * 86_400;

export interface AuthKitOptions {
  connection: Connection;
  sessionSecret: string;
  secureCookies: boolean;
  /** What signing in needs from the accounts area (its service fits). */
  accounts: {
    authenticate(login: string, password: string, ip: string, at: Date): Promise<Outcome<AuthenticatedUser>>;
    loadSessionUser(userId: string, epoch: number): Promise<AuthenticatedUser | null>;
  };
  /** Bearer tokens (the accounts area's tokens service fits). */
  tokens: { authenticate(secret: string, at: Date): Promise<AuthenticatedUser | null> };
  now: () => Date;
  /** Issue 11: with a bus, sessions are cached per process and dropped on every process (http/session-cache.ts). */
  invalidations?: Pick<InvalidationBus, 'publish' | 'subscribe'>;
}

export type PassportInstance = InstanceType<typeof Passport>;

/** What the Express app and the socket.io server share to recognise a signed-in user. */
export interface AuthKit {
  passport: PassportInstance;
  /** express-session, then passport: the same chain serves HTTP requests and socket.io handshakes. */
  sessionChain: RequestHandler[];
  /** Bearer token if the request has one (CSRF-exempt), else the session chain. Sets req.user and req.authVia. */
  authenticate: RequestHandler;
  cookie: { name: string; options: { httpOnly: true; sameSite: 'lax'; secure: boolean; path: '/' } };
  /** Resolves once the sessions collection and its TTL index exist. */
  ready: Promise<void>;
}

/** The store keeps a hash of each session id, so a copy of the database holds no usable session ids. */
const hashSessionId = (sid: string) => createHash('sha256').update(sid).digest('hex');

function isSessionPassport(value: unknown): value is SessionPassport {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SessionPassport).id === 'string' &&
    typeof (value as SessionPassport).epoch === 'number'
  );
}

export function createAuthKit(options: AuthKitOptions): AuthKit {
  const { connection, accounts, tokens, now } = options;
  const passport = new Passport();

  passport.use(
    new LocalStrategy(
      { usernameField: 'login', passwordField: 'password', passReqToCallback: true, session: false },
      (req, login, password, done) => {
        accounts
          .authenticate(login, password, req.ip ?? 'unknown', now())
          .then((outcome) => (outcome.ok ? done(null, outcome.value) : done(null, false, outcome.error)))
          .catch((err: unknown) => done(err));
      },
    ),
  );
  passport.serializeUser<SessionPassport>((user, done) => {
    const u = user as AuthenticatedUser;
    done(null, { id: u.id, epoch: u.sessionEpoch });
  });
  passport.deserializeUser<unknown>((stored, done) => {
    if (!isSessionPassport(stored)) {
      done(null, false);
      return;
    }
    accounts
      .loadSessionUser(stored.id, stored.epoch)
      .then((user) => done(null, user ?? false))
      .catch((err: unknown) => done(err));
  });

  const mongoStore = MongoStore.create({
    client: connection.getClient(),
    dbName: connection.name,
    collectionName: 'sessions',
    ttl: SESSION_TTL_SECONDS,
    autoRemove: 'native',
    touchAfter: 3600,
    stringify: false,
    transformId: hashSessionId,
  });
  const store = options.invalidations ? cacheSessions(mongoStore, options.invalidations, hashSessionId) : mongoStore;
  const cookieOptions = { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/' } as const;
  const sessionMiddleware = session({
    name: SESSION_COOKIE,
    secret: options.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    cookie: { ...cookieOptions, maxAge: SESSION_TTL_SECONDS * 1000 },
  });
  const sessionChain: RequestHandler[] = [
    sessionMiddleware,
    passport.initialize() as RequestHandler,
    passport.session() as RequestHandler,
    (req, _res, next) => {
      if (req.user) req.authVia = 'session';
      next();
    },
  ];

  const runChain =
    (chain: RequestHandler[]): RequestHandler =>
    (req, res, next) => {
      let i = 0;
      const step = (err?: unknown) => {
        if (err) return next(err);
        const handler = chain[i++];
        if (!handler) return next();
        try {
          void handler(req, res, step);
        } catch (e) {
          next(e);
        }
      };
      step();
    };
  const sessionAuth = runChain(sessionChain);

  const authenticate: RequestHandler = (req, res, next) => {
    const secret = bearerToken(req.headers.authorization);
    if (secret === null) {
      sessionAuth(req, res, next);
      return;
    }
    tokens
      .authenticate(secret, now())
      .then((user) => {
        if (!user) throw errorOf('UNAUTHENTICATED', 'Unknown, revoked or expired API token.');
        req.user = user;
        req.authVia = 'token';
        next();
      })
      .catch(next);
  };

  return {
    passport,
    sessionChain,
    authenticate,
    cookie: { name: SESSION_COOKIE, options: cookieOptions },
    ready: store.collectionP.then(() => undefined),
  };
}

/** Runs the local strategy (after the body was validated) and resolves with the user or the failure. */
export function authenticateLocal(
  passport: PassportInstance,
  req: Parameters<RequestHandler>[0],
  res: Parameters<RequestHandler>[1],
) {
  return new Promise<Outcome<AuthenticatedUser>>((resolve, reject) => {
    const handler = passport.authenticate(
      'local',
      { session: false },
      (err: unknown, user: AuthenticatedUser | false, info: Failure | undefined) => {
        if (err) reject(err);
        else if (user) resolve(success(user));
        else resolve(info ? { ok: false, error: info } : failure('INVALID_CREDENTIALS', 'Wrong login or password.'));
      },
    ) as RequestHandler;
    void handler(req, res, reject);
  });
}

export function logIn(req: Parameters<RequestHandler>[0], user: AuthenticatedUser): Promise<void> {
  // passport regenerates the session here (a fresh id at every sign-in: no session fixation).
  return new Promise((resolve, reject) => req.login(user, (err: unknown) => (err ? reject(err) : resolve())));
}

export function destroySession(req: Parameters<RequestHandler>[0]): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!req.session) {
      resolve();
      return;
    }
    req.session.destroy((err: unknown) => (err ? reject(err) : resolve()));
  });
}
