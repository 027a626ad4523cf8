import { useEffect, useState } from 'preact/hooks';
import { addDays, shanghaiDate } from '../../../../shared/domain/calendar';
import type { DashboardView as Dashboard } from '../../state/programme';
import { useApp } from '../context';
import { Page } from '../components/Page';
import { Chart } from '../desk/Chart';
import { useProgramme } from './context';
import { money, weight } from './bits';

const permilleText = (p: number | null) => (p === null ? '—' : `${(p / 10).toFixed(1)}%`);

/** The programme's counts for a period, with a chart and a printable one-page Chinese report (print stylesheet). */
export function DashboardView() {
  const { t, locale } = useApp();
  const { api } = useProgramme();
  const today = shanghaiDate(new Date());
  const [from, setFrom] = useState(addDays(today, -89));
  const [to, setTo] = useState(today);
  const [board, setBoard] = useState<Dashboard | null>(null);
  const load = () => void api.dashboard(from, to).then((r) => setBoard(r.ok ? r.data : null));
  useEffect(load, []);
  const rows: [string, string][] = board
    ? [
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
      ]
    : [];
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
      {board ? (
        <article class="report" lang="zh-CN">
          <h2 class="print-only">{t('programme.dash.reportTitle')}</h2>
          <p>{t('programme.period', { from: board.from, to: board.to })}</p>
          <table class="counts" data-testid="dashboard-counts">
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
              {board.farms.map((f) => (
                <tr key={f.farmId}>
                  <td>{f.name}</td>
                  <td>{permilleText(f.beforePermille)}</td>
                  <td>{permilleText(f.duringPermille)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      ) : (
        <p>{t('app.loading')}</p>
      )}
    </Page>
  );
}
