import { useEffect } from 'preact/hooks';
import { formatDateTime } from '../../state/format';
import { moneyText } from '../../state/market-format';
import { PERIODS, type Period } from '../../state/desk-types';
import type { MessageKey } from '../../i18n';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { UnitPicker, useUnits } from '../market/bits';
import { useDesk } from './context';
import { DeskTabs, deskFailureText, permilleText, productText } from './bits';
import { Chart } from './Chart';
import { LoadMore } from '../market/list-paging';

const PERIOD_KEY: Record<Period, MessageKey> = {
  day: 'desk.ledger.period.day',
  week: 'desk.ledger.period.week',
  month: 'desk.ledger.period.month',
  quarter: 'desk.ledger.period.quarter',
  year: 'desk.ledger.period.year',
};
const FARM_COLOURS = ['#1e7b34', '#b45309', '#1d4ed8', '#9333ea', '#c2410c', '#0f766e', '#be123c', '#4d7c0f'];

/** "11/26", "2026-W48" → "第48周", "2026-11" → "2026年11月", "2026-Q4" → "2026年第4季度". */
function periodLabel(key: string, period: Period, locale: 'zh-CN' | 'en'): string {
  if (period === 'day') return key.slice(5).replace('-', '/');
  const zh = locale === 'zh-CN';
  const week = /^(\d{4})-W(\d{2})$/.exec(key);
  if (week) return zh ? `第${Number(week[2])}周` : `W${Number(week[2])}`;
  const quarter = /^(\d{4})-Q(\d)$/.exec(key);
  if (quarter) return zh ? `${quarter[1]}年第${quarter[2]}季度` : `Q${quarter[2]} ${quarter[1]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month) return zh ? `${month[1].slice(2)}年${Number(month[2])}月` : `${month[1]}-${month[2]}`;
  return zh && /^\d{4}$/.test(key) ? `${key}年` : key;
}

/** 帮扶台账: KPIs, value over time, sell-through per farm, the entries and the CSV export. */
export function LedgerView() {
  const { t, locale } = useApp();
  const { ledger } = useDesk();
  const { period, from, to, rangeError, report, sellThrough, loading, loadingMore, error } = useStore(ledger);
  const { weight } = useUnits();
  useEffect(() => {
    void ledger.load();
  }, [ledger]);
  const total = report?.total;
  const yuan = (fen: number) => moneyText(fen, 'zh-CN');
  const farms = sellThrough?.farms ?? [];
  const stPeriod = sellThrough?.period ?? 'week';

  return (
    <Page title={t('desk.ledger.title')} wide>
      <DeskTabs current="ledger" />
      <p class="muted">{t('desk.ledger.programme')}</p>
      <form class="desk-toolbar ledger-controls" onSubmit={(e) => e.preventDefault()}>
        <div class="unit-picker" role="group" aria-label={t('desk.ledger.period')}>
          <span class="muted">{t('desk.ledger.period')}</span>
          {PERIODS.map((p) => (
            <button
              key={p}
              type="button"
              class={p === period ? 'chip on' : 'chip'}
              aria-pressed={p === period}
              onClick={() => void ledger.setPeriod(p)}
            >
              {t(PERIOD_KEY[p])}
            </button>
          ))}
        </div>
        <label>
          {t('desk.ledger.from')}
          <input type="date" value={from} max={to} onChange={(e) => void ledger.setRange(e.currentTarget.value, to)} />
        </label>
        <label>
          {t('desk.ledger.to')}
          <input
            type="date"
            value={to}
            min={from}
            onChange={(e) => void ledger.setRange(from, e.currentTarget.value)}
          />
        </label>
        <span class="muted small">{t('desk.ledger.tz')}</span>
        <a class="button" href={ledger.csvHref} download>
          {t('desk.ledger.export')}
        </a>
      </form>
      <UnitPicker />
      {rangeError && !rangeError.ok ? (
        <p class="alert alert-error">{t(`desk.ledger.range.${rangeError.reason}`)}</p>
      ) : null}
      {error ? <p class="alert alert-error">{deskFailureText(t, error)}</p> : null}
      {loading && !report ? <p>{t('desk.ledger.loading')}</p> : null}

      {total ? (
        <div class="kpis" data-testid="kpis">
          <div class="kpi">
            <span class="kpi-label">{t('desk.ledger.kpi.value')}</span>
            <strong class="kpi-value" data-kpi="value">
              {yuan(total.valueFen)}
            </strong>
            <span class="muted small">{t('desk.ledger.kpi.orders', { n: total.orders })}</span>
          </div>
          <div class="kpi">
            <span class="kpi-label">{t('desk.ledger.kpi.volume')}</span>
            <strong class="kpi-value">{weight(total.quantityGrams)}</strong>
            <span class="muted small">{t('desk.ledger.kpi.buyers', { n: total.buyers })}</span>
          </div>
          <div class="kpi">
            <span class="kpi-label">{t('desk.ledger.kpi.atRisk')}</span>
            <strong class="kpi-value">{weight(total.atRiskGrams)}</strong>
            <span class="muted small">{t('desk.ledger.kpi.orders', { n: total.atRiskOrders })}</span>
          </div>
          <div class="kpi">
            <span class="kpi-label">{t('desk.ledger.kpi.enterprises')}</span>
            <strong class="kpi-value">{t('desk.ledger.count', { n: total.enterprises })}</strong>
          </div>
          <div class="kpi">
            <span class="kpi-label">{t('desk.ledger.kpi.villages')}</span>
            <strong class="kpi-value">{t('desk.ledger.villages', { n: total.villages })}</strong>
          </div>
        </div>
      ) : null}

      <div class="desk-columns">
        {report ? (
          <section class="card">
            <h2>{t('desk.ledger.chartValue')}</h2>
            <Chart
              title={t('desk.ledger.chartValue')}
              xTitle={t('desk.ledger.period')}
              xLabels={report.periods.map((p) => periodLabel(p.period, report.period, locale))}
              series={[
                {
                  label: t('desk.ledger.kpi.value'),
                  values: report.periods.map((p) => p.valueFen / 100),
                  color: '#1e7b34',
                },
              ]}
              yFormat={(v) => `¥${v.toLocaleString('zh-CN', { maximumFractionDigits: 0 })}`}
              bars
            />
          </section>
        ) : null}
        {sellThrough ? (
          <section class="card">
            <h2>{t('desk.ledger.chartSell')}</h2>
            {farms.length === 0 ? (
              <p class="muted">{t('desk.ledger.sellEmpty')}</p>
            ) : (
              <>
                <Chart
                  title={t('desk.ledger.chartSell')}
                  xTitle={t('desk.ledger.period')}
                  yMax={100}
                  xLabels={(farms[0]?.points ?? []).map((p) => periodLabel(p.period, stPeriod, locale))}
                  series={farms.slice(0, FARM_COLOURS.length).map((f, i) => ({
                    label: f.farmName,
                    values: f.points.map((p) => (p.ratePermille === null ? null : p.ratePermille / 10)),
                    color: FARM_COLOURS[i] ?? '#333',
                  }))}
                  yFormat={(v) => `${Math.round(v)}%`}
                />
                <ul class="plain desk-list">
                  {farms.map((f) => (
                    <li key={f.farmId}>
                      <strong>{f.farmName}</strong>
                      <span>
                        {t('desk.ledger.overall')}{' '}
                        {f.overall?.ratePermille === null || f.overall === null
                          ? '—'
                          : permilleText(f.overall.ratePermille)}
                      </span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        ) : null}
      </div>

      {report ? (
        <section class="card">
          <h2>{t('desk.ledger.entries')}</h2>
          {report.items.length === 0 ? <p class="muted">{t('desk.ledger.entriesEmpty')}</p> : null}
          {report.truncated ? <p class="muted small">{t('desk.ledger.truncated')}</p> : null}
          {report.items.length > 0 ? (
            <div class="table-wrap">
              <table class="desk-table" data-testid="ledger-entries">
                <thead>
                  <tr>
                    <th scope="col">{t('desk.ledger.col.time')}</th>
                    <th scope="col">{t('desk.ledger.col.broker')}</th>
                    <th scope="col">{t('desk.ledger.col.farm')}</th>
                    <th scope="col">{t('desk.ledger.col.village')}</th>
                    <th scope="col">{t('desk.ledger.col.buyer')}</th>
                    <th scope="col">{t('desk.ledger.col.product')}</th>
                    <th scope="col" class="num">
                      {t('desk.ledger.col.quantity')}
                    </th>
                    <th scope="col" class="num">
                      {t('desk.ledger.col.value')}
                    </th>
                    <th scope="col">{t('desk.ledger.col.atRisk')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.items.map((e) => (
                    <tr key={e.id} class={e.voidedAt ? 'void' : undefined}>
                      <td class="nowrap" data-label={t('desk.ledger.col.time')}>
                        {formatDateTime(e.createdAt)}
                      </td>
                      <td data-label={t('desk.ledger.col.broker')}>{e.broker.name}</td>
                      <td data-label={t('desk.ledger.col.farm')}>{e.farm.name}</td>
                      <td data-label={t('desk.ledger.col.village')}>
                        {[e.farm.township, e.farm.village].filter(Boolean).join(' ') || '—'}
                      </td>
                      <td data-label={t('desk.ledger.col.buyer')}>{e.buyer.name}</td>
                      <td data-label={t('desk.ledger.col.product')}>{productText(e.productCode, locale)}</td>
                      <td class="num" data-label={t('desk.ledger.col.quantity')}>
                        {weight(e.quantityGrams)}
                      </td>
                      <td class="num" data-label={t('desk.ledger.col.value')}>
                        {yuan(e.valueFen)} {e.voidedAt ? <span class="badge">{t('desk.ledger.void')}</span> : null}
                      </td>
                      <td data-label={t('desk.ledger.col.atRisk')}>
                        {e.atRisk ? <span class="badge at-risk">{t('desk.ledger.yes')}</span> : t('desk.ledger.no')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <LoadMore
            hasMore={report.nextCursor !== null}
            loading={loadingMore}
            onMore={() => void ledger.loadMoreEntries()}
            {...(report.items.length > 0 ? { end: 'desk.list.end' as const } : {})}
          />
        </section>
      ) : null}
    </Page>
  );
}
