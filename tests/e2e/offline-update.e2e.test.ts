/**
 * "新版本可用 — 刷新" after a deploy (issue 12, docs/offline.md), in Debian's Chromium: a phone that has the app
 * installed keeps running the version it precached; a deploy is simulated on the served files themselves
 * (a changed index.html, and the service worker's precache manifest naming its new revision, as a new build
 * writes them); the browser finds the new service worker on the next load, the prompt appears, and 刷新
 * activates it and loads the new version.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startApp, type RunningApp } from './app';
import { openBrowser, PHONE, screenshot, type Person } from './browser';

const dist = path.resolve(__dirname, '..', '..', 'client', 'dist');
const indexFile = path.join(dist, 'index.html');
const swFile = path.join(dist, 'sw.js');

describe('a new version after a deploy', () => {
  let app: RunningApp;
  let phone: Person;
  const original: { index?: string; sw?: string } = {};

  beforeAll(async () => {
    app = await startApp(); // builds client/dist when it is stale
    phone = await openBrowser(PHONE, { mobile: true });
  });

  afterAll(async () => {
    // The served files go back to the build as it was, whatever happened.
    if (original.index !== undefined) fs.writeFileSync(indexFile, original.index);
    if (original.sw !== undefined) fs.writeFileSync(swFile, original.sw);
    await phone?.close();
    await app?.close();
  });

  const version = () =>
    phone.page.evaluate(() => document.querySelector('meta[name="freshlink-build"]')?.getAttribute('content') ?? null);

  it('the prompt appears, and 刷新 loads the new version', async () => {
    const p = phone.page;
    await p.goto(`${app.baseUrl}/#/login`);
    await p.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await p.reload(); // now controlled by the installed worker
    expect(await p.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    expect(await version()).toBeNull();
    expect(await p.getByRole('button', { name: '刷新' }).count()).toBe(0);

    // The deploy: a new index.html, and a service worker whose precache manifest names its new revision.
    original.index = fs.readFileSync(indexFile, 'utf8');
    original.sw = fs.readFileSync(swFile, 'utf8');
    fs.writeFileSync(
      indexFile,
      original.index.replace('</head>', '<meta name="freshlink-build" content="next" /></head>'),
    );
    const revision = /("url": "index\.html",\s*"revision": ")([0-9a-f]+)"/;
    expect(original.sw).toMatch(revision);
    fs.writeFileSync(swFile, original.sw.replace(revision, '$1deploy0000000000000000000000002"'));

    // The next load still shows the precached version, and finds the new one waiting.
    await p.reload();
    await p.getByText('新版本可用').waitFor({ timeout: 20_000 });
    expect(await version()).toBeNull();
    await screenshot(p, 'offline-update-1-prompt', false);

    await p.getByRole('button', { name: '刷新' }).click();
    await p.waitForFunction(
      () => document.querySelector('meta[name="freshlink-build"]')?.getAttribute('content') === 'next',
      undefined,
      { timeout: 20_000 },
    );
    await p.getByLabel('手机号或邮箱').waitFor();
    expect(await p.getByText('新版本可用').count()).toBe(0);
  });
});
