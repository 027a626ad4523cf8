import { useState } from 'preact/hooks';
import { findProduct, productName } from '../../../../shared/domain/catalogue';
import type { FarmPlansStore } from '../../state/farm-plans';
import type { StandingOrder } from '../../state/market-types';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Alert } from '../components/Alert';
import { failureText, useUnits } from './bits';
import { weekdayKey } from './weekdays';
import { LoadMore } from './list-paging';

/** Standing orders restaurants propose to this farm (接受 / 婉拒) and the ones it supplies (不再供货). */
export function StandingForYou({ plans }: { plans: FarmPlansStore }) {
  const { t } = useApp();
  const { standing, standingNext, loadingMore, notice } = useStore(plans);
  const proposed = standing.filter((s) => s.status === 'proposed');
  const active = standing.filter((s) => s.status === 'active');
  return (
    <section class="standing-for-you" aria-labelledby="standing-title">
      <h2 id="standing-title">{t('market.standing.title')}</h2>
      {notice?.kind === 'error' ? <Alert kind="error">{failureText(t, notice.error)}</Alert> : null}
      {notice?.kind === 'ok' && notice.key !== 'market.capacity.saved' ? (
        <Alert kind="ok">{t(notice.key)}</Alert>
      ) : null}
      {proposed.length === 0 && active.length === 0 ? <p class="muted">{t('market.standing.none')}</p> : null}
      {proposed.length > 0 ? <h3>{t('market.standing.waiting', { n: proposed.length })}</h3> : null}
      {proposed.map((s) => (
        <StandingCard key={s.id} order={s} plans={plans} />
      ))}
      {active.length > 0 ? <h3>{t('market.standing.agreed', { n: active.length })}</h3> : null}
      {active.map((s) => (
        <StandingCard key={s.id} order={s} plans={plans} />
      ))}
      {standing.length > 0 ? (
        <LoadMore
          hasMore={standingNext !== null}
          loading={loadingMore}
          onMore={() => void plans.moreStanding()}
          end="market.list.end"
        />
      ) : null}
    </section>
  );
}

function StandingCard({ order, plans }: { order: StandingOrder; plans: FarmPlansStore }) {
  const { t, locale } = useApp();
  const { weight, price } = useUnits();
  const { acting } = useStore(plans);
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const product = findProduct(order.productCode);
  const busy = acting === order.id;
  const reasonId = `reason-${order.id}`;
  const proposed = order.status === 'proposed';

  const send = async () => {
    if (reason.trim() === '') {
      setMissing(true);
      return;
    }
    const done = proposed ? await plans.decline(order.id, reason.trim()) : await plans.end(order.id, reason.trim());
    if (done) setAsking(false);
  };

  return (
    <article class={proposed ? 'card standing-card proposed' : 'card standing-card'}>
      <header class="lot-head">
        <h4>{product ? productName(product, locale) : order.productCode}</h4>
        <span class="muted small">{order.buyerName ?? t('market.standing.restaurant')}</span>
      </header>
      <p>
        {t('market.standing.what', {
          days: order.weekdays.map((d) => t(weekdayKey(d))).join('、'),
          w: weight(order.gramsPerOccurrence),
          p: price(order.priceFenPerKg),
          by: order.deliverBy,
        })}
      </p>
      {order.tolerance && order.tolerance.extraPercent > 0 ? (
        <p class="small">
          {t('market.plans.tolerance', { x: order.tolerance.extraPercent, d: order.tolerance.discountPercent })}
        </p>
      ) : null}
      <p class="muted small">
        {t('market.standing.from', { start: order.startDate })}
        {order.endDate ? `，${t('market.standing.until', { end: order.endDate })}` : ''}
      </p>
      {asking ? (
        <div class="field">
          <label for={reasonId}>{proposed ? t('market.standing.declineReason') : t('market.standing.endReason')}</label>
          <textarea
            id={reasonId}
            rows={2}
            maxLength={500}
            value={reason}
            onInput={(e) => {
              setReason(e.currentTarget.value);
              setMissing(false);
            }}
            {...(missing ? { 'aria-invalid': true, 'aria-describedby': `${reasonId}-error` } : {})}
          />
          {missing ? (
            <span class="error" id={`${reasonId}-error`}>
              {t('market.standing.reasonRequired')}
            </span>
          ) : null}
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={() => void send()}>
              {busy ? t('common.working') : t('market.standing.send')}
            </button>
            <button type="button" class="secondary" onClick={() => setAsking(false)}>
              {t('market.standing.back')}
            </button>
          </div>
        </div>
      ) : (
        <div class="actions">
          {proposed ? (
            <button type="button" disabled={busy} onClick={() => void plans.accept(order.id)}>
              {busy ? t('common.working') : t('market.standing.accept')}
            </button>
          ) : null}
          <button
            type="button"
            class={proposed ? 'secondary' : 'danger'}
            disabled={busy}
            onClick={() => setAsking(true)}
          >
            {proposed ? t('market.standing.decline') : t('market.standing.end')}
          </button>
        </div>
      )}
    </article>
  );
}
