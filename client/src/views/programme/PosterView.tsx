import { useEffect, useState } from 'preact/hooks';
import type { LeaderRowView } from '../../../../shared/schemas/programme';
import type { CampaignView } from '../../state/programme';
import { useApp } from '../context';
import { Page } from '../components/Page';
import { useProgramme } from './context';
import { money, ProgressFigures, when } from './bits';

type Poster = CampaignView & { villageBoard: LeaderRowView[]; enterprises: string[] };

/** The shareable, read-only poster: totals, the villages helped and the enterprises taking part; prints on one page. */
export function PosterView({ id, token }: { id: string; token?: string }) {
  const { t, locale } = useApp();
  const { api } = useProgramme();
  const [poster, setPoster] = useState<Poster | null | 'missing'>(null);
  useEffect(() => {
    void api.poster(id, token).then((r) => setPoster(r.ok ? r.data.poster : 'missing'));
  }, [id, token]);
  if (poster === 'missing') return <Page title={t('programme.notFound')}>{null}</Page>;
  if (!poster) return <Page title={t('programme.poster')}>{t('app.loading')}</Page>;
  return (
    <Page title={t('programme.posterTitle', { name: poster.name })}>
      <article class="poster">
        <p>{t('programme.period', { from: when(poster.startsAt), to: when(poster.endsAt) })}</p>
        <ProgressFigures progress={poster.progress} locale={locale} t={t} />
        {poster.targetValueFen ? (
          <p>{t('programme.target', { target: money(poster.targetValueFen, locale) })}</p>
        ) : null}
        <h2>{t('programme.leaderboard.villages')}</h2>
        <ol>
          {poster.villageBoard.map((v) => (
            <li key={v.key}>
              {v.name} · {money(v.valueFen, locale)}
            </li>
          ))}
        </ol>
        {poster.enterprises.length ? (
          <>
            <h2>{t('programme.posterLead')}</h2>
            <p>{poster.enterprises.join('、')}</p>
          </>
        ) : null}
        <button type="button" class="no-print" onClick={() => window.print()}>
          {t('programme.dash.print')}
        </button>
      </article>
    </Page>
  );
}
