import { Router } from 'express';
import { ledgerExportQuery, ledgerQuery, sellThroughQuery } from '../../../../shared/schemas/desk';
import { parse } from '../../../http/validate';
import { requireChamber } from '../kernel/desk.http';
import type { LedgerService } from './ledger.service';

/** /api/ledger: the assistance ledger (帮扶台账), chamber staff and admins only. */
export function ledgerRoutes({ ledger, now }: { ledger: LedgerService; now: () => Date }): Router {
  const router = Router();
  router.use('/ledger', requireChamber);

  router.get('/ledger', async (req, res) => {
    res.json(await ledger.report(parse(ledgerQuery, req.query), now()));
  });

  router.get('/ledger/export.csv', async (req, res) => {
    const { filename, csv } = await ledger.exportCsv(parse(ledgerExportQuery, req.query), now());
    res
      .status(200)
      .set('Content-Type', 'text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="ledger.csv"; filename*=UTF-8''${encodeURIComponent(filename)}`)
      .set('Cache-Control', 'no-store')
      .send(Buffer.from(csv, 'utf8'));
  });

  router.get('/ledger/sell-through', async (req, res) => {
    res.json(await ledger.sellThrough(parse(sellThroughQuery, req.query), now()));
  });

  return router;
}
