/**
 * The baseline for `GET /api/lots`: a bare Express app answering one route with a JSON payload
 * read once from a file (a real /api/lots page captured in the same run). Run as its own process,
 * like the app, so both are measured the same way: `node --import tsx bench/lib/market-bare.ts <payload.json>`.
 */
import fs from 'node:fs';
import express from 'express';

const payload: unknown = JSON.parse(fs.readFileSync(process.argv[2] ?? '', 'utf8'));
const app = express();
app.get('/lots', (_req, res) => {
  res.json(payload);
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`bare listening on ${typeof address === 'object' && address ? address.port : 0}\n`);
});
