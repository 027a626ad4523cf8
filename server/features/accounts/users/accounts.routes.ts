import { Router } from 'express';
import {
  changePasswordRequestSchema,
  loginRequestSchema,
  signupRequestSchema,
  updateMeRequestSchema,
} from '../../../../shared/schemas/accounts';
import { authenticateLocal, destroySession, logIn, type AuthKit } from '../../../http/auth';
import { currentUser, requireAuth, requireSession } from '../../../http/guards';
import { unwrap } from '../../../http/failure-status';
import { parse } from '../../../http/validate';
import type { Publisher } from '../../../realtime/hub';
import type { AccountsService } from './accounts.service';
import { userView } from './accounts.views';

export interface AccountsRoutesDeps {
  accounts: AccountsService;
  auth: AuthKit;
  publisher: Publisher;
  now: () => Date;
}

/** /api/auth/* and /api/me (mounted under /api). */
export function accountsRoutes({ accounts, auth, publisher, now }: AccountsRoutesDeps): Router {
  const router = Router();

  router.post('/auth/signup', async (req, res) => {
    const body = parse(signupRequestSchema, req.body);
    const created = unwrap(await accounts.signup(body, req.ip ?? 'unknown', now()));
    await logIn(req, created.authenticated);
    res.status(201).json(created.response);
  });

  router.post('/auth/login', async (req, res) => {
    req.body = parse(loginRequestSchema, req.body);
    const user = unwrap(await authenticateLocal(auth.passport, req, res));
    await logIn(req, user);
    res.json({ user: userView(user.user) });
  });

  router.post('/auth/logout', async (req, res) => {
    const sessionId = req.sessionID;
    if (req.authVia !== 'token') await destroySession(req);
    res.clearCookie(auth.cookie.name, auth.cookie.options);
    if (sessionId) publisher.endSessionSockets(sessionId, 'logout');
    res.status(204).end();
  });

  router.post('/auth/change-password', requireSession, async (req, res) => {
    const body = parse(changePasswordRequestSchema, req.body);
    const me = currentUser(req);
    const previousSession = req.sessionID;
    const updated = unwrap(await accounts.changePassword(me.id, body.currentPassword, body.newPassword));
    // Other sessions now carry an old epoch and are dropped; this one is signed in again (new id).
    publisher.endUserSockets(me.id, 'password-changed');
    await logIn(req, updated);
    if (previousSession) publisher.endSessionSockets(previousSession, 'password-changed');
    res.status(204).end();
  });

  router.get('/me', requireAuth, async (req, res) => {
    res.json(unwrap(await accounts.me(currentUser(req).id)));
  });

  router.patch('/me', requireAuth, async (req, res) => {
    const body = parse(updateMeRequestSchema, req.body);
    res.json(unwrap(await accounts.updateMe(currentUser(req).id, body)));
  });

  return router;
}
