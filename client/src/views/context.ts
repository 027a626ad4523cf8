import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AccountsApi } from '../api';
import type { I18nStore, Locale, Translate } from '../i18n';
import type { RouterStore } from '../state/router';
import type { SessionStore } from '../state/session';
import type { OrganisationStore } from '../state/organisation';
import type { QueueStore } from '../state/queue';
import type { Message } from '../state/message';

export interface AppServices {
  api: AccountsApi;
  i18n: I18nStore;
  router: RouterStore;
  session: SessionStore;
  organisation: OrganisationStore;
  queue: QueueStore;
}

export interface AppContextValue extends AppServices {
  t: Translate;
  locale: Locale;
  /** Renders a store's Message in the current language. */
  say: (m: Message) => string;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppContext.Provider>');
  return value;
}
