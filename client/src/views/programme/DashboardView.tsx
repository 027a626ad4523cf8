import { useEffect, useState } from 'preact/hooks';
import { addDays, shanghaiDate } from '../../../../shared/domain/calendar';
import type { DashboardView as Dashboard } from '../../state/programme';
import { translate, type Locale, type Translate } from '../../i18n';
import { useApp } from '../context';
import { Page } from '../components/Page';
import { Chart } from '../desk/Chart';
import { useProgramme } from './context';
import { money, weight } from './bits';

/** The report fits one A4 page: at most this many farms' sell-through rows (the rest are counted). */
const MAX_FARMS_PRINTED = 15;
const permilleText = (p: number | null) => (p === null ? '—' : `${(p / 10).toFixed(1)}%`);

/** The programme's counts for a period, with a chart and a printable one-page report in Chinese (print stylesheet). */
export function DashboardView() {
  const { t, locale } = useApp();
  const { api } = useProgramme();
  const today = shanghaiDate(new Date());
  const [from, setFrom] = useState(addDays(today, -89));
  const [to, setTo] = useState(today);
  const [board, setBoard] = useState<Dashboard | null>(null);
  const load = () => void api.dashboard(from, to).then((r) => setBoard(r.ok ? r.data : null));
  useEffect(load, []);
  return (
    <Page title={t('programme.dashboard')} wide>
      <form
        class="no-print inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          load();
        }}
      >
        <label>
          {t('programme.dash.from')} <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          {t('programme.dash.to')} <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <button type="submit">{t('programme.dash.show')}</button>
        <button type="button" onClick={() => window.print()}>
          {t('programme.dash.print')}
        </button>
      </form>
      {!board ? (
        <p>{t('app.loading')}</p>
      ) : locale === 'zh-CN' ? (
        <Report board={board} t={t} locale={locale} />
      ) : (
        <>
          {/* The printed report is always in Chinese, whatever language the page is read in. */}
          <Report board={board} t={t} locale={locale} class="no-print" />
          <Report board={board} t={inChinese} locale="zh-CN" class="print-only" />
        </>
      )}
    </Page>
  );
}

const inChinese: Translate = (key, params) => translate('zh-CN', key, params);

function Report({
  board,
  t,
  locale,
  class: className,
}: {
  board: Dashboard;
  t: Translate;
  locale: Locale;
  class?: string;
}) {
  const rows: [string, string][] = [
    [
      t('programme.dash.visits'),
      t('programme.dash.visitsValue', { visits: board.visits, orgs: board.enterprisesVisited }),
    ],
    [t('programme.dash.problems'), String(board.problemsRaised)],
    [t('programme.dash.solvedOnSite'), String(board.problemsSolvedOnSite)],
    [t('programme.dash.solvedLater'), String(board.problemsSolvedLater)],
    [t('programme.dash.open'), String(board.problemsOpen)],
    [t('programme.dash.plans'), String(board.plans)],
    [t('programme.dash.outcomes'), String(board.outcomes)],
    [
      t('programme.dash.sales'),
      t('programme.dash.salesValue', {
        value: money(board.salesValueFen, locale),
        weight: weight(board.salesGrams, locale),
        orders: board.salesOrders,
      }),
    ],
    [
      t('programme.dash.helped'),
      t('programme.dash.helpedValue', { orgs: board.enterprisesHelped, villages: board.villagesHelped }),
    ],
    [
      t('programme.dash.campaigns'),
      t('programme.dash.campaignsValue', { campaigns: board.campaigns, pairings: board.pairings }),
    ],
  ];
  return (
    <article class={`report ${className ?? ''}`} lang={locale}>
      <h2 class="print-only">{t('programme.dash.reportTitle')}</h2>
      <p>{t('programme.period', { from: board.from, to: board.to })}</p>
      <table class="counts" data-testid={className === 'print-only' ? undefined : 'dashboard-counts'}>
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {board.daily.length ? (
        <div class="no-print">
          <Chart
            title={t('programme.dash.chart')}
            xTitle={t('programme.dash.day')}
            xLabels={board.daily.map((d) => d.date.slice(5))}
            series={[
              { label: t('programme.dash.sales'), values: board.daily.map((d) => d.valueFen), color: '#1a7f37' },
            ]}
            yFormat={(v) => money(v, locale)}
            bars
          />
        </div>
      ) : null}
      <h3>{t('programme.dash.sellThrough')}</h3>
      <table class="counts">
        <thead>
          <tr>
            <th>{t('programme.dash.farm')}</th>
            <th>{t('programme.dash.before')}</th>
            <th>{t('programme.dash.during')}</th>
          </tr>
        </thead>
        <tbody>
          {board.farms.slice(0, MAX_FARMS_PRINTED).map((f) => (
            <tr key={f.farmId}>
              <td>{f.name}</td>
              <td>{permilleText(f.beforePermille)}</td>
              <td>{permilleText(f.duringPermille)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {board.farms.length > MAX_FARMS_PRINTED ? (
        <p class="muted">{t('programme.dash.moreFarms', { n: board.farms.length - MAX_FARMS_PRINTED })}</p>
      ) : null}
    </article>
  );
}
