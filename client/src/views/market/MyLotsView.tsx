import { marketHref } from '../../state/market-routes';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { useMarket } from './context';
import { UnitPicker } from './bits';
import { LotCard } from './LotCard';
import { OfferRow } from './OfferRow';
import { ClockSetup } from './ClockSetup';
import { LotManage } from './LotManage';
import { NotifyButton } from './NotifyButton';

/** The farm's lots with their countdowns, the bids waiting on each, and the clock sale button. */
export function MyLotsView() {
  const { t } = useApp();
  const { market, prefs } = useMarket();
  const { mine, offers, now } = useStore(market);
  const { sound } = useStore(prefs);
  const open = mine.filter((l) => l.status === 'open');
  const closed = mine.filter((l) => l.status !== 'open').slice(0, 20);
  const waiting = offers.filter((o) => (o.status === 'open' || o.status === 'countered') && o.turn === 'seller').length;
  return (
    <Page title={t('market.mine.title')}>
      <div class="toolbar">
        <a class="button" href={marketHref({ name: 'post' })}>
          {t('market.nav.post')}
        </a>
        <label class="check">
          <input type="checkbox" checked={sound} onChange={() => prefs.toggleSound()} />
          {t('market.mine.sound')}
        </label>
        <NotifyButton />
      </div>
      <UnitPicker />
      <p role="status" class={waiting ? 'waiting-bids' : 'muted'}>
        {waiting ? t('market.mine.waiting', { n: waiting }) : t('market.mine.noneWaiting')}
      </p>
      {open.length === 0 ? <p class="muted">{t('market.mine.empty')}</p> : null}
      {open.map((lot) => {
        const lotOffers = offers.filter((o) => o.lotId === lot.id && (o.status === 'open' || o.status === 'countered'));
        return (
          <section key={lot.id} class="card mine-lot">
            <LotCard lot={lot} now={now} />
            {lotOffers.length ? (
              <>
                <h4>{t('market.mine.bids', { n: lotOffers.length })}</h4>
                <ul class="offers">
                  {lotOffers.map((o) => (
                    <OfferRow key={o.id} offer={o} side="seller" />
                  ))}
                </ul>
              </>
            ) : (
              <p class="muted small">{t('market.mine.noBids')}</p>
            )}
            {lot.clock ? null : <ClockSetup lot={lot} />}
            <LotManage lot={lot} />
          </section>
        );
      })}
      {closed.length ? (
        <details>
          <summary>{t('market.mine.closed', { n: closed.length })}</summary>
          {closed.map((lot) => (
            <LotCard key={lot.id} lot={lot} now={now} />
          ))}
        </details>
      ) : null}
    </Page>
  );
}
