import type { ProgrammeRoute } from '../../state/programme';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { CampaignList, NewCampaignForm } from './CampaignList';
import { CampaignView } from './CampaignView';
import { DashboardView } from './DashboardView';
import { OutcomesView } from './OutcomesView';
import { PairingForm } from './PairingForm';
import { PairingsView } from './PairingsView';
import { PlansView } from './PlansView';
import { PosterView } from './PosterView';
import { RecommendView } from './RecommendView';
import { TopicsView } from './TopicsView';
import './programme.css';

const CHAMBER_ONLY: ReadonlySet<ProgrammeRoute['name']> = new Set([
  'new',
  'newPairing',
  'recommendations',
  'topics',
  'plans',
  'outcomes',
  'dashboard',
]);

/**
 * The 万企兴万村 pages: campaigns and pairings for everyone signed in; starting campaigns and pairings,
 * recommendations, topics, plans, outcomes and the dashboard for the chamber; the poster also for anyone
 * holding its share link.
 */
export function ProgrammePage({ route }: { route: ProgrammeRoute }) {
  const { t, session } = useApp();
  const { me } = useStore(session);
  if (route.name === 'poster' && (me || route.token)) return <PosterView id={route.id} token={route.token} />;
  if (!me || (CHAMBER_ONLY.has(route.name) && me.organisation.kind !== 'chamber'))
    return (
      <Page title={t('app.notFound')}>
        <a href="#/">{t('app.backHome')}</a>
      </Page>
    );
  switch (route.name) {
    case 'list':
      return <CampaignList />;
    case 'new':
      return <NewCampaignForm />;
    case 'campaign':
      return <CampaignView id={route.id} />;
    case 'poster':
      return <PosterView id={route.id} token={route.token} />;
    case 'pairings':
      return <PairingsView />;
    case 'newPairing':
      return <PairingForm />;
    case 'recommendations':
      return <RecommendView />;
    case 'topics':
      return <TopicsView />;
    case 'plans':
      return <PlansView />;
    case 'outcomes':
      return <OutcomesView />;
    case 'dashboard':
      return <DashboardView />;
  }
}
