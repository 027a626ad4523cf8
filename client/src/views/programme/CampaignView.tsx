import { useEffect, useMemo } from 'preact/hooks';
import { CampaignStore, programmeHref } from '../../state/programme';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { useProgramme } from './context';
import { money, product, ProgressFigures, TargetBar, weight, when } from './bits';
import type { LeaderRowView } from '../../../../shared/schemas/programme';
import { CopyButton } from '../components/CopyButton';
import { LoadMore } from '../market/list-paging';

/** Chamber staff: the poster's public share link (anyone holding it sees the poster), replaced or withdrawn here. */
interface ShareLinkProps {
  id: string;
  /** The plain token, known only right after it was made. */
  token?: string;
  /** A link exists (its token was shown when it was made). */
  shared: boolean;
  reshare: (share: boolean) => Promise<void>;
}

function ShareLink({ id, token, shared, reshare }: ShareLinkProps) {
  const { t } = useApp();
  const url = token ? `${location.origin}${location.pathname}${programmeHref({ name: 'poster', id, token })}` : '';
  return (
    <div class="share-link">
      <h3>{t('programme.share.title')}</h3>
      {shared ? (
        <>
          <p class="muted">{t('programme.share.hint')}</p>
          {token ? (
            <>
              <p class="muted small">{t('programme.share.once')}</p>
              <code id="poster-share-url" class="share-url" data-testid="poster-share-url">
                {url}
              </code>
            </>
          ) : (
            <p class="muted small">{t('programme.share.hidden')}</p>
          )}
          <p class="share-actions">
            {token ? <CopyButton text={url} targetId="poster-share-url" /> : null}
            <button type="button" class="secondary" onClick={() => void reshare(true)}>
              {t('programme.share.renew')}
            </button>
            <button type="button" class="secondary" onClick={() => void reshare(false)}>
              {t('programme.share.stop')}
            </button>
          </p>
        </>
      ) : (
        <p>
          <span class="muted">{t('programme.share.off')}</span>{' '}
          <button type="button" class="secondary" onClick={() => void reshare(true)}>
            {t('programme.share.start')}
          </button>
        </p>
      )}
    </div>
  );
}

/** One campaign: progress against target (live), leaderboards of enterprises and villages, and its orders. */
export function CampaignView({ id }: { id: string }) {
  const { t, locale, session } = useApp();
  const { me } = useStore(session);
  const { api, channel, shareTokens } = useProgramme();
  const store = useMemo(() => new CampaignStore(api), [api]);
  const { campaign, orders, ordersNext, loadingMore, error, lastChange } = useStore(store);
  useEffect(() => {
    void store.open(id, channel);
    return () => store.close();
  }, [id]);

  if (error && !campaign) return <Page title={t('programme.notFound')}>{null}</Page>;
  if (!campaign) return <Page title={t('programme.campaigns')}>{t('app.loading')}</Page>;
  const isBuyer = me && me.organisation.kind !== 'farm' && me.organisation.kind !== 'chamber';
  const board = (rows: LeaderRowView[] | undefined, title: string, testid: string) => (
    <section class="card">
      <h2>{title}</h2>
      {!rows?.length ? (
        <p class="muted">{t('programme.leaderboard.empty')}</p>
      ) : (
        <ol class="leaderboard" data-testid={testid}>
          {rows.map((r) => (
            <li key={r.key}>
              <span>{r.name}</span>
              <span>{money(r.valueFen, locale)}</span>
              <span class="muted">{weight(r.grams, locale)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
  return (
    <Page title={campaign.name} wide>
      <p>
        <span class={`status status-${campaign.status}`}>{t(`programme.status.${campaign.status}`)}</span>{' '}
        {t('programme.period', { from: when(campaign.startsAt), to: when(campaign.endsAt) })}
      </p>
      <p class="muted">
        {campaign.productCodes?.length
          ? t('programme.scope.products', { list: campaign.productCodes.map((c) => product(c, locale)).join('、') })
          : null}{' '}
        {campaign.villages?.length ? t('programme.scope.villages', { list: campaign.villages.join('、') }) : null}
        {!campaign.productCodes?.length && !campaign.villages?.length ? t('programme.scope.all') : null}
      </p>
      {lastChange ? (
        <p class="live-note" role="status">
          {t(lastChange.change === 'cancelled' ? 'programme.liveCancelled' : 'programme.live', {
            order: lastChange.orderId.slice(-6),
          })}
        </p>
      ) : null}
      <section class="card">
        <h2>{t('programme.progress')}</h2>
        <TargetBar
          t={t}
          text="value"
          label={t('programme.value')}
          done={money(campaign.progress.valueFen, locale)}
          target={campaign.targetValueFen ? money(campaign.targetValueFen, locale) : undefined}
          permille={campaign.valuePermille}
        />
        <TargetBar
          t={t}
          text="grams"
          label={t('programme.grams')}
          done={weight(campaign.progress.grams, locale)}
          target={campaign.targetGrams ? weight(campaign.targetGrams, locale) : undefined}
          permille={campaign.gramsPermille}
        />
        <ProgressFigures progress={campaign.progress} locale={locale} t={t} />
        <p>
          {isBuyer && campaign.status !== 'ended' ? (
            campaign.joined ? (
              <span class="badge">{t('programme.joined')}</span>
            ) : (
              <button type="button" onClick={() => void store.join()}>
                {t('programme.join')}
              </button>
            )
          ) : null}{' '}
          {campaign.invited && !campaign.joined ? <span class="badge">{t('programme.invited')}</span> : null}{' '}
          <a href={programmeHref({ name: 'poster', id: campaign.id })}>{t('programme.poster')}</a>
        </p>
        {me?.organisation.kind === 'chamber' ? (
          <ShareLink
            id={campaign.id}
            token={campaign.posterShared ? shareTokens.get(campaign.id) : undefined}
            shared={campaign.posterShared === true}
            reshare={async (share) => {
              const r = await api.posterLink(campaign.id, share);
              if (r.ok && r.data.posterToken) shareTokens.set(campaign.id, r.data.posterToken);
              else shareTokens.delete(campaign.id);
              await store.reload();
            }}
          />
        ) : null}
      </section>
      <div class="two-columns">
        {board(campaign.leaderboard?.enterprises, t('programme.leaderboard.enterprises'), 'board-enterprises')}
        {board(campaign.leaderboard?.villages, t('programme.leaderboard.villages'), 'board-villages')}
      </div>
      <section class="card">
        <h2>{t('programme.ordersTitle')}</h2>
        {orders.length === 0 ? (
          <p class="muted">{t('programme.leaderboard.empty')}</p>
        ) : (
          <div class="table-scroll">
            <table data-testid="campaign-orders-table">
              <thead>
                <tr>
                  <th>{t('programme.order.at')}</th>
                  <th>{t('programme.order.buyer')}</th>
                  <th>{t('programme.order.seller')}</th>
                  <th>{t('programme.order.village')}</th>
                  <th>{t('programme.order.product')}</th>
                  <th>{t('programme.order.quantity')}</th>
                  <th>{t('programme.order.value')}</th>
                </tr>
              </thead>
              <tbody>
                {orders.map((o) => (
                  <tr key={o.id}>
                    <td>{when(o.confirmedAt)}</td>
                    <td>{o.buyerName}</td>
                    <td>{o.sellerName}</td>
                    <td>{o.village ?? '—'}</td>
                    <td>{product(o.productCode, locale)}</td>
                    <td>{weight(o.quantityGrams, locale)}</td>
                    <td>{money(o.totalFen, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <LoadMore
          hasMore={ordersNext !== null}
          loading={loadingMore}
          onMore={() => void store.moreOrders()}
          {...(orders.length > 0 ? { end: 'programme.list.end' as const } : {})}
        />
      </section>
    </Page>
  );
}
