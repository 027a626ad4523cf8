import type { ComponentChildren } from 'preact';
import type { MessageKey } from '../../i18n';
import { useApp } from '../context';

/**
 * A chamber card: a heading, optional controls (a filter), an empty-state line once loaded, and a
 * table of the given columns (header cells from i18n) around the caller's rows.
 */
export function ChamberTable({
  testId,
  title,
  empty,
  columns,
  count,
  loaded = true,
  tableClass,
  controls,
  children,
}: {
  testId: string;
  title: MessageKey;
  empty: MessageKey;
  columns: readonly MessageKey[];
  count: number;
  /** Until the data has arrived, an empty table is not "none". */
  loaded?: boolean;
  tableClass?: string;
  controls?: ComponentChildren;
  children: ComponentChildren;
}) {
  const { t } = useApp();
  return (
    <section class="card" data-testid={testId}>
      <h2>{t(title)}</h2>
      {controls}
      {loaded && count === 0 ? <p class="muted">{t(empty)}</p> : null}
      {count > 0 ? (
        <div class="table-wrap">
          <table class={tableClass}>
            <thead>
              <tr>
                {columns.map((key) => (
                  <th scope="col" key={key}>
                    {t(key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{children}</tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
