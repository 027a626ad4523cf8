import type { DeskRoute } from '../../state/desk-routes';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Page } from '../components/Page';
import { BoardView } from './BoardView';
import { LedgerView } from './LedgerView';
import { ProblemsView } from './ProblemsView';

/** The chamber's desk; anyone else gets "not found" (the API answers them 403 anyway). */
export function DeskPage({ route }: { route: DeskRoute }) {
  const { t, session } = useApp();
  const { me } = useStore(session);
  if (me?.organisation.kind !== 'chamber') {
    return (
      <Page title={t('app.notFound')}>
        <a href="#/">{t('app.backHome')}</a>
      </Page>
    );
  }
  switch (route.name) {
    case 'board':
      return <BoardView />;
    case 'ledger':
      return <LedgerView />;
    case 'problems':
      return <ProblemsView />;
  }
}
