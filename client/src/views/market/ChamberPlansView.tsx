import { useEffect, useMemo } from 'preact/hooks';
import { findProduct, productName } from '../../../../shared/domain/catalogue';
import {
  ChamberPlansStore,
  countByStatus,
  createChamberPlansApi,
  farmRows,
  type StandingStatus,
} from '../../state/chamber-plans';
import { shortTime } from '../../state/market-format';
import { organisationNames } from '../../state/market-names';
import type { MessageKey } from '../../i18n';
import type { StandingOrder } from '../../state/market-types';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { Alert } from '../components/Alert';
import { failureText, UnitPicker, useUnits } from './bits';
import { CapacityDetails, dayLabel, OutlookDayCard } from './OutlookDays';
import { weekdayKey } from './weekdays';
import { ChamberTable } from './ChamberTable';
import './demand.css';
import './chamber-plans.css';

const STATUSES: readonly StandingStatus[] = ['proposed', 'active', 'declined', 'cancelled'];
const STANDING_COLUMNS: readonly MessageKey[] = [
  'market.chamber.product',
  'market.chamber.seller',
  'market.chamber.buyer',
  'market.chamberPlans.terms',
  'market.chamberPlans.period',
  'market.chamber.status',
];
const DEMAND_COLUMNS: readonly MessageKey[] = [
  'market.chamber.product',
  'market.chamber.buyer',
  'market.chamber.quantity',
  'market.chamberPlans.maxPrice',
  'market.chamberPlans.neededBy',
];

/**
 * Chamber staff, read-only (#/market/chamber/plans): each farm's unsold produce over the next 7 days
 * and the market's total, one farm's capacity and outlook (picked from the table or the list), every
 * standing order with its status and parties, and open demand with the buyers. No actions here.
 */
export function ChamberPlansView() {
  const { t, locale, api } = useApp();
  const store = useMemo(
    () => new ChamberPlansStore(createChamberPlansApi(), () => organisationNames(api, ['restaurant'])),
    [api],
  );
  const state = useStore(store);
  const { weight, price } = useUnits();
  useEffect(() => {
    void store.load();
  }, [store]);
  const rows = farmRows(state.outlook, state.farms);
  const product = (code: string) => {
    const p = findProduct(code);
    return p ? productName(p, locale) : code;
  };
  const selectedName =
    state.farms.find((f) => f.id === state.selected)?.name ?? rows.find((r) => r.orgId === state.selected)?.name ?? '';
  const counts = countByStatus(state.standing);
  const shown = store.shownStanding;
  return (
    <Page title={t('market.chamberPlans.title')} wide>
      <UnitPicker />
      <p class="muted">{t('market.chamberPlans.readOnly')}</p>
      {state.error ? <Alert kind="error">{failureText(t, state.error)}</Alert> : null}

      <section class="card" data-testid="chamber-farms">
        <h2>{t('market.chamberPlans.farms')}</h2>
        {state.loaded && rows.length === 0 ? <p class="muted">{t('market.chamberPlans.noPlans')}</p> : null}
        {rows.length > 0 && state.outlook ? (
          <div class="table-wrap">
            <table class="plan-table">
              <thead>
                <tr>
                  <th scope="col">{t('market.chamberPlans.farm')}</th>
                  {state.outlook.days.map((d) => (
                    <th scope="col" key={d.date}>
                      {dayLabel(d.date, d.weekday, t)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.orgId} class={r.orgId === state.selected ? 'selected' : undefined}>
                    <th scope="row">
                      <button
                        type="button"
                        class="link-button"
                        aria-pressed={r.orgId === state.selected}
                        onClick={() => void store.select(r.orgId)}
                      >
                        {r.name}
                      </button>
                    </th>
                    {r.days.map((d) => (
                      <td key={d.date}>
                        {d.totalSurplusGrams > 0 ? weight(d.totalSurplusGrams) : '—'}
                        {d.shortfallGrams > 0 ? (
                          <span class="shortfall">
                            {t('market.chamberPlans.short', { w: weight(d.shortfallGrams) })}
                          </span>
                        ) : null}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('market.chamberPlans.marketTotal')}</th>
                  {state.outlook.days.map((d) => (
                    <td key={d.date}>{weight(d.totalSurplusGrams)}</td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
        ) : null}
        <p class="muted small">{t('market.chamberPlans.farmsNote')}</p>
      </section>

      <section class="card" data-testid="chamber-farm">
        <h2>
          {selectedName
            ? t('market.chamberPlans.farmPlan', { farm: selectedName })
            : t('market.chamberPlans.farmPlanNone')}
        </h2>
        {state.farms.length > 0 ? (
          <label class="farm-picker">
            {t('market.chamberPlans.pickFarm')}
            <select
              value={state.selected ?? ''}
              onChange={(e) => void store.select((e.target as HTMLSelectElement).value)}
            >
              {state.selected ? null : <option value="">—</option>}
              {state.farms.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                  {f.region ? `（${f.region}）` : ''}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {state.noCapacity ? <p class="muted">{t('market.chamberPlans.noCapacity')}</p> : null}
        {state.capacity ? <CapacityDetails capacity={state.capacity} /> : null}
      </section>
      {state.farmDays.length > 0 ? (
        <div class="outlook-grid" data-testid="chamber-farm-outlook">
          {state.farmDays.map((d) => (
            <OutlookDayCard key={d.date} day={d} />
          ))}
        </div>
      ) : null}

      <ChamberTable
        testId="chamber-standing"
        title="market.chamberPlans.standing"
        empty="market.chamberPlans.standingEmpty"
        columns={STANDING_COLUMNS}
        count={shown.length}
        loaded={state.loaded}
        tableClass="plan-list"
        controls={
          <label class="farm-picker">
            {t('market.chamberPlans.statusFilter')}
            <select
              value={state.statusFilter}
              onChange={(e) => store.filter((e.target as HTMLSelectElement).value as StandingStatus | 'all')}
            >
              <option value="all">{t('market.chamberPlans.allStatuses', { n: state.standing.length })}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`market.standing.status.${s}`)}（{counts[s]}）
                </option>
              ))}
            </select>
          </label>
        }
      >
        {shown.map((s) => (
          <StandingRow key={s.id} order={s} product={product(s.productCode)} weight={weight} price={price} />
        ))}
      </ChamberTable>

      <ChamberTable
        testId="chamber-demand"
        title="market.chamberPlans.demand"
        empty="market.chamberPlans.demandEmpty"
        columns={DEMAND_COLUMNS}
        count={state.demand.length}
        loaded={state.loaded}
        tableClass="plan-list"
      >
        {state.demand.map((d) => (
          <tr key={d.id} data-demand={d.id}>
            <th scope="row">{product(d.productCode)}</th>
            <td>{d.buyerName ?? state.names.get(d.buyerOrgId) ?? t('market.chamberPlans.unknownOrg')}</td>
            <td>{weight(d.quantityGrams)}</td>
            <td>{price(d.maxPriceFenPerKg)}</td>
            <td>{shortTime(d.neededBy)}</td>
          </tr>
        ))}
      </ChamberTable>
    </Page>
  );
}

function StandingRow({
  order,
  product,
  weight,
  price,
}: {
  order: StandingOrder;
  product: string;
  weight: (g: number) => string;
  price: (f: number) => string;
}) {
  const { t } = useApp();
  return (
    <tr data-standing={order.id}>
      <th scope="row">{product}</th>
      <td>
        {order.sellerName ??
          (order.sellerOrgId ? t('market.chamberPlans.unknownOrg') : t('market.chamberPlans.anyFarm'))}
      </td>
      <td>{order.buyerName ?? t('market.chamberPlans.unknownOrg')}</td>
      <td class="terms">
        {t('market.standing.what', {
          days: order.weekdays.map((d) => t(weekdayKey(d))).join('、'),
          w: weight(order.gramsPerOccurrence),
          p: price(order.priceFenPerKg),
          by: order.deliverBy,
        })}
      </td>
      <td>
        {order.endDate
          ? `${order.startDate} – ${order.endDate}`
          : t('market.chamberPlans.from', { start: order.startDate })}
      </td>
      <td>
        <span class={`badge standing-badge-${order.status}`}>{t(`market.standing.status.${order.status}`)}</span>
      </td>
    </tr>
  );
}
