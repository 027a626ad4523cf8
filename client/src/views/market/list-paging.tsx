import { useEffect, useRef, useState } from 'preact/hooks';
import type { MessageKey } from '../../i18n';
import { useApp } from '../context';

/**
 * A list's search box and sort choice. The search runs on submit (the server's $text / name search), the
 * sort as soon as it is chosen; both read the first page again.
 */
export function ListTools<S extends string>({
  id,
  q,
  sort,
  sorts,
  placeholder,
  onSearch,
}: {
  id: string;
  q: string;
  sort: S;
  sorts: readonly { value: S; label: MessageKey }[];
  placeholder: MessageKey;
  onSearch: (patch: { q?: string; sort?: S }) => void;
}) {
  const { t } = useApp();
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  return (
    <form
      class="list-tools"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch({ q: text.trim() });
      }}
    >
      <label class="sr-only" for={`${id}-q`}>
        {t('market.list.search')}
      </label>
      <input
        id={`${id}-q`}
        type="search"
        name="q"
        maxLength={60}
        value={text}
        placeholder={t(placeholder)}
        onInput={(e) => setText((e.target as HTMLInputElement).value)}
      />
      <button type="submit">{t('market.list.search')}</button>
      <label class="list-sort">
        <span>{t('market.list.sort')}</span>
        <select
          name="sort"
          value={sort}
          onChange={(e) => onSearch({ sort: (e.target as HTMLSelectElement).value as S })}
        >
          {sorts.map((s) => (
            <option key={s.value} value={s.value}>
              {t(s.label)}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}

/**
 * The end of a paged list: an IntersectionObserver asks for the next page as this comes into view (infinite
 * scroll), and the 加载更多 button does the same where the observer is missing or scrolling is awkward.
 */
export function LoadMore({
  hasMore,
  loading,
  onMore,
  endText,
}: {
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
  /** Shown once the last page is read (an end mark), e.g. 已全部显示. */
  endText?: string;
}) {
  const { t } = useApp();
  const sentinel = useRef<HTMLDivElement>(null);
  const more = useRef(onMore);
  more.current = onMore;
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasMore || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) more.current();
      },
      { rootMargin: '200px 0px' },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasMore]);
  return (
    <div class="load-more" ref={sentinel}>
      {hasMore ? (
        <button type="button" class="secondary" disabled={loading} onClick={() => onMore()}>
          {loading ? t('market.list.loadingMore') : t('market.list.more')}
        </button>
      ) : endText ? (
        <p class="muted small list-end">{endText}</p>
      ) : null}
    </div>
  );
}
