import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import pinoHttp from 'pino-http';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Database } from './db';
import { errorHandler, notFoundHandler } from './http/errorHandler';

export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Database;
}

export interface AppHandle {
  app: Express;
  close(): Promise<void>;
}

const clientDist = path.resolve(__dirname, '..', 'client', 'dist');

/** Builds the Express app. Does not listen: only main.ts (and tests) do. */
export function createApp(deps: AppDeps): AppHandle {
  const { logger, db } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.use(express.json({ limit: '256kb' }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ok = await db.ping();
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'database unreachable' });
  });

  if (fs.existsSync(path.join(clientDist, 'index.html'))) {
    app.use(express.static(clientDist, { index: 'index.html', maxAge: '1h' }));
  } else {
    app.get('/', (_req, res) => {
      res.type('html').send(placeholderPage);
    });
  }

  app.use('/api', notFoundHandler);
  app.use(notFoundHandler);
  app.use(errorHandler);

  return {
    app,
    async close() {
      /* feature resources (timers, schedulers) are closed here as they are added */
    },
  };
}

const placeholderPage = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>鲜链 FreshLink</title></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem">
<h1>鲜链 FreshLink</h1>
<p>农产品保鲜直供平台正在建设中。</p>
<p lang="en">Fresh produce, sold before it spoils. The app is being built.</p>
</body></html>`;
