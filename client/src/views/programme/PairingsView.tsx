import { useEffect, useState } from 'preact/hooks';
import { applyPairingEvent, programmeHref } from '../../state/programme';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { usePagedList } from './paged-list';
import { useProgramme } from './context';
import { money, weight, when } from './bits';

/** Pairings with progress against the pledge: the chamber sees all, an enterprise or farm its own. */
export function PairingsView() {
  const { t, locale, session } = useApp();
  const { me } = useStore(session);
  const { api, channel } = useProgramme();
  const list = usePagedList((cursor?: string) => api.pairings(cursor));
  const { items, setItems } = list;
  const [heard, setHeard] = useState('');
  useEffect(() => {
    list.load();
    // Both sides of a pairing (and the chamber) hear its changes live: the row is replaced from the event.
    return channel?.onPairing?.((event) => {
      setItems((list) => applyPairingEvent(list ?? [], event));
      setHeard(t(`programme.pairing.live.${event.change}`, { name: event.pairing.enterpriseName }));
    });
  }, []);
  return (
    <Page title={t('programme.pairings')} wide>
      {me?.organisation.kind === 'chamber' ? (
        <p>
          <a href={programmeHref({ name: 'newPairing' })}>{t('programme.newPairing')}</a>
        </p>
      ) : null}
      {heard ? (
        <p class="live-note" role="status">
          {heard}
        </p>
      ) : null}
      {items === null ? (
        <p>{t('app.loading')}</p>
      ) : items.length === 0 ? (
        <p class="muted">{t('programme.noPairings')}</p>
      ) : (
        <div class="table-scroll">
          <table data-testid="pairings">
            <thead>
              <tr>
                <th>{t('programme.pairing.enterprise')}</th>
                <th>{t('programme.pairing.with')}</th>
                <th>{t('programme.pairing.pledge')}</th>
                <th>{t('programme.progress')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.id}>
                  <td>{p.enterpriseName}</td>
                  <td>
                    {[...p.farms.map((f) => f.name), ...p.villages].join('、')}
                    <div class="muted">{t('programme.period', { from: when(p.startsAt), to: when(p.endsAt) })}</div>
                  </td>
                  <td>
                    {p.pledgeGrams ? weight(p.pledgeGrams, locale) : null}
                    {p.pledgeGrams && p.pledgeFen ? ' · ' : null}
                    {p.pledgeFen ? money(p.pledgeFen, locale) : null}
                    {!p.pledgeGrams && !p.pledgeFen ? t('programme.pairing.none') : null}
                  </td>
                  <td>
                    {weight(p.progress.grams, locale)} · {money(p.progress.valueFen, locale)}
                    {p.gramsPermille !== null ? ` (${Math.floor(p.gramsPermille / 10)}%)` : ''}
                    {p.gramsPermille === null && p.valuePermille !== null
                      ? ` (${Math.floor(p.valuePermille / 10)}%)`
                      : ''}
                    {p.status === 'ended' ? <span class="badge">{t('programme.pairing.ended')}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.end()}
    </Page>
  );
}
