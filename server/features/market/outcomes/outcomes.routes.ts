import { Router } from 'express';
import { outcomesBody } from '../../../../shared/schemas/outcomes';
import { requireAuth } from '../../../http/guards';
import { validate } from '../../../http/validate';
import type { TraderOf } from '../kernel/market.types';
import type { OutcomesService } from './outcomes.service';

/** `POST /api/outcomes {keys}` → what became of each of the caller's organisation's keyed actions. */
export function outcomesRoutes({ outcomes, trader }: { outcomes: OutcomesService; trader: TraderOf }): Router {
  const router = Router();
  router.post('/outcomes', requireAuth, validate(outcomesBody), async (req, res) => {
    const { keys } = req.body as { keys: string[] };
    res.json(await outcomes.outcomes(await trader(req), keys));
  });
  return router;
}
