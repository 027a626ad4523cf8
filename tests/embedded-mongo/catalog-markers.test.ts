import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Int32 } from 'bson';
import { Collection } from '../../server/embedded-mongo/engine/collection';
import { openEngineStore } from '../fixtures/engine-store';

/** A multikey index keeps its flag across a restart whatever its id (ids whose low byte is 0xff included). */
describe('the multikey marker on reload', () => {
  it.each([254, 255, 256, 511])('when index id %i is multikey, then it still is after a reopen', async (id) => {
    const dir = mkdtempSync(join(tmpdir(), 'freshlink-markers-'));
    try {
      const first = await openEngineStore({ dir });
      const c = first.collection('lots');
      // the next index made gets id `id`
      (first.catalog as unknown as { lastIndexId: number }).lastIndexId = id - 1;
      const doc = { _id: new Int32(1), tags: ['a', 'b'] };
      first.track(c.put(Collection.keyOf(doc), doc));
      c.addIndex({ name: 'tags_1', key: { tags: 1 } });
      expect(c.indexes.get('tags_1')?.id).toBe(id);
      expect(c.indexes.get('tags_1')?.multikey).toBe(true);
      first.track(c.metaOp());
      await first.close();
      const again = await openEngineStore({ dir });
      expect(again.collection('lots').indexes.get('tags_1')?.multikey).toBe(true);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
