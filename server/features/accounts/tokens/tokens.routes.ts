import { Router } from 'express';
import { canUseApiTokens } from '../../../../shared/domain/permissions';
import { createTokenRequestSchema, idParamsSchema, listTokensQuery } from '../../../../shared/schemas/accounts';
import { currentUser, requireRole, requireSession, requireVerified } from '../../../http/guards';
import { unwrap } from '../../../http/failure-status';
import { parse } from '../../../http/validate';
import type { TokensService } from './tokens.service';

/** /api/tokens: personal API tokens, for restaurant and chamber users, managed from a signed-in session. */
export function tokenRoutes({ tokens, now }: { tokens: TokensService; now: () => Date }): Router {
  const router = Router();
  const allowed = requireRole(canUseApiTokens, 'API tokens are for restaurant and chamber accounts.');

  router.get('/tokens', allowed, requireSession, async (req, res) => {
    const { limit, cursor } = parse(listTokensQuery, req.query);
    res.json(unwrap(await tokens.list(currentUser(req), { limit, ...(cursor ? { after: cursor } : {}) })));
  });

  // Minting a token is a trading capability: the organisation must be verified.
  router.post('/tokens', allowed, requireVerified, requireSession, async (req, res) => {
    const body = parse(createTokenRequestSchema, req.body);
    res.status(201).json(unwrap(await tokens.create(currentUser(req), body, now())));
  });

  router.delete('/tokens/:id', allowed, requireSession, async (req, res) => {
    const { id } = parse(idParamsSchema, req.params);
    unwrap(await tokens.revoke(currentUser(req), id));
    res.status(204).end();
  });

  return router;
}
