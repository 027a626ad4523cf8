/**
 * Lot photos (issue 12 item 3): the farm uploads up to 4 photos (with thumbnails) to its lot, stored in GridFS on
 * the embedded server; anyone signed in reads them with immutable caching; wrong types, oversized files and
 * other farms are refused; deleted photos are gone; photos of lots long expired are swept.
 */
import { aChamberUser, aFarm, aRestaurant, type Member } from '../fixtures/accounts';
import { startTestApp, type TestApp } from '../fixtures/test-app';
import { lotSchema } from '../../shared/schemas/market-views';
import { LOT_PHOTO_LIMITS } from '../../shared/schemas/market';

let app: TestApp;
let farm: Member;
let otherFarm: Member;
let buyer: Member;
let moment = Date.now();

beforeAll(async () => {
  app = await startTestApp({ now: () => new Date(moment) });
  [farm, otherFarm, buyer] = await Promise.all([aFarm(app), aFarm(app), aRestaurant(app)]);
});
afterAll(async () => {
  await app.close();
});

type Lot = ReturnType<typeof lotSchema.parse>;

/** A JPEG as far as its first bytes go, `size` bytes long, each one a distinct pattern. */
function aJpeg(size = 40_000, seed = 1): Buffer {
  const bytes = Buffer.alloc(size, seed);
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  bytes[size - 1] = (seed * 7) % 256;
  return bytes;
}
const aPng = () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

async function send(
  who: Member,
  method: string,
  url: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; bytes: Buffer; headers: Headers }> {
  const res = await fetch(app.baseUrl + url, {
    method,
    headers: {
      origin: app.baseUrl,
      'x-forwarded-for': who.agent.ip,
      ...(who.agent.cookie ? { cookie: who.agent.cookie } : {}),
      ...headers,
    },
    ...(body ? { body: new Uint8Array(body) } : {}),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  let json: Record<string, unknown> = {};
  if (res.headers.get('content-type')?.includes('json')) json = JSON.parse(bytes.toString('utf8')) as typeof json;
  return { status: res.status, json, bytes, headers: res.headers };
}
const upload = (who: Member, lot: Lot, bytes: Buffer, type = 'image/jpeg', headers: Record<string, string> = {}) =>
  send(who, 'POST', `/api/lots/${lot.id}/photos`, bytes, { 'content-type': type, ...headers });

async function postLot(): Promise<Lot> {
  const posted = await farm.agent.post('/api/lots', {
    productCode: 'tomato',
    quantityGrams: 50_000,
    harvestedAt: new Date(moment - 3_600_000).toISOString(),
    storage: 'cold',
    reservePriceFenPerKg: 500,
    askPriceFenPerKg: 800,
  });
  expect(posted.status).toBe(201);
  return lotSchema.parse(posted.body);
}
const fieldsOf = (json: Record<string, unknown>) =>
  Object.keys((json.error as { fields?: Record<string, string> }).fields ?? {});

describe('lot photos', () => {
  it('uploads a photo and its thumbnail; both are served to a restaurant with immutable caching and an ETag', async () => {
    const lot = await postLot();
    const full = aJpeg(200_000, 3);
    const added = await upload(farm, lot, full);
    expect(added.status).toBe(201);
    const photoId = added.json.photoId as string;
    const [photo] = lotSchema.parse(added.json.lot).photos ?? [];
    expect(photo.id).toBe(photoId);
    expect(photo.thumbUrl).toBe(photo.url); // no thumbnail yet: the card shows the photo itself

    const thumb = aJpeg(8_000, 5);
    const thumbed = await send(farm, 'PUT', `/api/lots/${lot.id}/photos/${photoId}/thumb`, thumb, {
      'content-type': 'image/jpeg',
    });
    expect(thumbed.status).toBe(200);
    const shown = lotSchema.parse((await buyer.agent.get(`/api/lots/${lot.id}`)).body).photos ?? [];
    expect(shown.map((p) => p.thumbUrl)).toEqual([`${photo.url}/thumb`]);

    const served = await send(buyer, 'GET', photo.url);
    expect(served.status).toBe(200);
    expect(served.bytes.equals(full)).toBe(true);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(served.headers.get('cache-control')).toContain('immutable');
    const etag = served.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const small = await send(buyer, 'GET', `${photo.url}/thumb`);
    expect(small.bytes.equals(thumb)).toBe(true);
    expect(small.headers.get('etag')).not.toBe(etag);
    const again = await send(buyer, 'GET', photo.url, undefined, { 'if-none-match': etag });
    expect(again.status).toBe(304);

    // GridFS on the embedded server: a 200 kB photo is split over more than one chunk.
    const chunks = await app.db.connection.collection('lotPhotos.chunks').countDocuments({});
    expect(chunks).toBeGreaterThan(1);
  });

  it('refuses a file that is not the image it claims, an oversized one and a fifth photo, naming photo', async () => {
    const lot = await postLot();
    const text = await upload(farm, lot, Buffer.from('<svg onload=alert(1)>'), 'image/jpeg');
    expect(text.status).toBe(400);
    expect((text.json.error as { code: string }).code).toBe('PHOTO_TYPE');
    expect(fieldsOf(text.json)).toEqual(['photo']);
    const mislabelled = await upload(farm, lot, aPng(), 'image/jpeg');
    expect(mislabelled.status).toBe(400);
    expect((await upload(farm, lot, aPng(), 'image/png')).status).toBe(201);

    const big = await upload(farm, lot, aJpeg(LOT_PHOTO_LIMITS.photoBytes + 1));
    expect(big.status).toBe(400);
    expect((big.json.error as { code: string }).code).toBe('PHOTO_TOO_LARGE');
    expect(fieldsOf(big.json)).toEqual(['photo']);

    for (let i = 0; i < 3; i++) expect((await upload(farm, lot, aJpeg(1_000, i))).status).toBe(201);
    const fifth = await upload(farm, lot, aJpeg(1_000, 9));
    expect(fifth.status).toBe(409);
    expect((fifth.json.error as { code: string }).code).toBe('TOO_MANY_PHOTOS');
    expect(lotSchema.parse((await farm.agent.get(`/api/lots/${lot.id}`)).body).photos).toHaveLength(4);
  });

  it('only the lot’s farm or chamber staff acting for it may add or delete photos', async () => {
    const lot = await postLot();
    expect((await upload(otherFarm, lot, aJpeg())).status).toBe(403);
    expect((await upload(buyer, lot, aJpeg())).status).toBe(403);
    const desk = await aChamberUser(app, { admin: false });
    const brokered = await upload(desk, lot, aJpeg(), 'image/jpeg', { 'on-behalf-of': farm.organisationId });
    expect(brokered.status).toBe(201);
    const photoId = brokered.json.photoId as string;
    expect((await send(otherFarm, 'DELETE', `/api/lots/${lot.id}/photos/${photoId}`)).status).toBe(403);
    expect((await send(buyer, 'GET', `/api/lots/${lot.id}/photos/${photoId}`, undefined)).status).toBe(200);
    const anonymous = await fetch(`${app.baseUrl}/api/lots/${lot.id}/photos/${photoId}`);
    expect(anonymous.status).toBe(401);
  });

  it('a deleted photo is gone from the lot and from storage', async () => {
    const lot = await postLot();
    const added = await upload(farm, lot, aJpeg());
    const photoId = added.json.photoId as string;
    const deleted = await send(farm, 'DELETE', `/api/lots/${lot.id}/photos/${photoId}`);
    expect(deleted.status).toBe(200);
    expect(lotSchema.parse(deleted.json).photos).toBeUndefined();
    expect((await send(buyer, 'GET', `/api/lots/${lot.id}/photos/${photoId}`)).status).toBe(404);
    const files = await app.db.connection.collection('lotPhotos.files').countDocuments({ 'metadata.photoId': photoId });
    expect(files).toBe(0);
  });

  it('photos of a lot are swept 30 days after the lot expires, and not before', async () => {
    const lot = await postLot();
    const photoId = (await upload(farm, lot, aJpeg())).json.photoId as string;
    const expiry = Date.parse(lot.expiresAt);
    moment = expiry + 29 * 24 * 3_600_000;
    await app.handle.market.jobs.runOnce();
    expect((await send(buyer, 'GET', `/api/lots/${lot.id}/photos/${photoId}`)).status).toBe(200);
    moment = expiry + 31 * 24 * 3_600_000;
    await app.handle.market.jobs.runOnce();
    expect((await send(buyer, 'GET', `/api/lots/${lot.id}/photos/${photoId}`)).status).toBe(404);
    expect(lotSchema.parse((await buyer.agent.get(`/api/lots/${lot.id}`)).body).photos).toBeUndefined();
    const files = await app.db.connection.collection('lotPhotos.files').countDocuments({ 'metadata.photoId': photoId });
    expect(files).toBe(0);
    moment = Date.now();
  });
});
