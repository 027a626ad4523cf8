import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { MarketStore } from '../../state/market';
import type { MarketApi } from '../../state/market-api';
import type { MarketPrefsStore } from '../../state/market-prefs';

export interface MarketServices {
  market: MarketStore;
  prefs: MarketPrefsStore;
  api: MarketApi;
}

export const MarketContext = createContext<MarketServices | null>(null);

export function useMarket(): MarketServices {
  const value = useContext(MarketContext);
  if (!value) throw new Error('useMarket outside <MarketContext.Provider>');
  return value;
}
