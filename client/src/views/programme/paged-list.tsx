import { useRef, useState } from 'preact/hooks';
import type { ApiResult } from '../../state/api-result';
import type { Paged } from '../../state/programme';
import { LoadMore } from '../market/list-paging';

/**
 * A programme list read a page at a time: `load()` reads the first page again, the end of the list (`end()`)
 * reads the next one as it scrolls into view or on 加载更多, and says 已全部显示 after the last.
 */
export function usePagedList<T extends { id: string }>(read: (cursor?: string) => Promise<ApiResult<Paged<T>>>) {
  const [items, setItems] = useState<T[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  // A page asked for before the list was read again belongs to the old list.
  const generation = useRef(0);
  const load = () => {
    const mine = ++generation.current;
    void read().then((r) => {
      if (mine !== generation.current) return;
      setItems(r.ok ? r.data.items : []);
      setCursor(r.ok ? r.data.nextCursor : null);
    });
  };
  const more = () => {
    if (!cursor || loading) return;
    const mine = generation.current;
    setLoading(true);
    void read(cursor).then((r) => {
      setLoading(false);
      if (mine !== generation.current || !r.ok) return;
      setItems((list) => {
        const known = new Set((list ?? []).map((i) => i.id));
        return [...(list ?? []), ...r.data.items.filter((i) => !known.has(i.id))];
      });
      setCursor(r.data.nextCursor);
    });
  };
  const end = () => (
    <LoadMore
      hasMore={cursor !== null}
      loading={loading}
      onMore={more}
      {...(items && items.length > 0 ? { end: 'programme.list.end' as const } : {})}
    />
  );
  return { items, setItems, load, end };
}
