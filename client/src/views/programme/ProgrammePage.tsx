import type { ProgrammeRoute } from '../../state/programme';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { CampaignList, NewCampaignForm } from './CampaignList';
import { CampaignView } from './CampaignView';
import { DashboardView } from './DashboardView';
import { PairingsView } from './PairingsView';
import { PosterView } from './PosterView';
import './programme.css';

/** The 万企兴万村 pages: campaigns for everyone signed in; starting one and the dashboard for the chamber. */
export function ProgrammePage({ route }: { route: ProgrammeRoute }) {
  const { t, session } = useApp();
  const { me } = useStore(session);
  const chamberOnly = route.name === 'new' || route.name === 'dashboard';
  if (!me || (chamberOnly && me.organisation.kind !== 'chamber'))
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
      return <PosterView id={route.id} />;
    case 'pairings':
      return <PairingsView />;
    case 'dashboard':
      return <DashboardView />;
  }
}
