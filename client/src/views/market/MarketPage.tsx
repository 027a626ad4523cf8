import { marketRoleOf } from '../../state/buyer-kinds';
import type { MarketRoute } from '../../state/market-routes';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { BoardView } from './BoardView';
import { LotView } from './LotView';
import { PostLotView } from './PostLotView';
import { MyLotsView } from './MyLotsView';
import { OrdersView } from './OrdersView';
import { ChamberView } from './ChamberView';
import { ChamberPlansView } from './ChamberPlansView';
import { Page } from '../components/Page';
import { OutlookView } from './OutlookView';
import { PlansView } from './PlansView';
import { MyOffersView } from './MyOffersView';
import { DemandView } from './DemandView';
import { useMarket } from './context';
import { DeliveryNote } from './DeliveryNote';

/** Which market page the address shows, given the signed-in person's kind of organisation. */
export function MarketPage({ route }: { route: MarketRoute }) {
  const { t, session } = useApp();
  const { me } = useStore(session);
  const { api } = useMarket();
  const kind = me ? marketRoleOf(me.organisation.kind) : undefined;
  const farmOnly =
    route.name === 'post' || route.name === 'mine' || route.name === 'outlook' || route.name === 'demand';
  if (
    (farmOnly && kind !== 'farm') ||
    ((route.name === 'plans' || route.name === 'offers') && kind !== 'restaurant') ||
    ((route.name === 'chamber' || route.name === 'chamberPlans') && kind !== 'chamber') ||
    (route.name === 'orders' && kind === 'chamber')
  ) {
    return (
      <Page title={t('app.notFound')}>
        <a href="#/market">{t('market.lot.back')}</a>
      </Page>
    );
  }
  switch (route.name) {
    case 'board':
      return <BoardView />;
    case 'lot':
      return <LotView id={route.id} />;
    case 'post':
      return <PostLotView />;
    case 'mine':
      return <MyLotsView />;
    case 'orders':
      return <OrdersView />;
    case 'chamber':
      return <ChamberView />;
    case 'chamberPlans':
      return <ChamberPlansView />;
    case 'outlook':
      return <OutlookView api={api} />;
    case 'plans':
      return <PlansView api={api} />;
    case 'offers':
      return <MyOffersView />;
    case 'demand':
      return <DemandView api={api} />;
    case 'order':
      return <DeliveryNote id={route.id} />;
  }
}
