import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { DeskStore } from '../../state/desk';
import type { DeskLedgerStore } from '../../state/desk-ledger';
import type { DeskProblemsStore } from '../../state/desk-problems';
import type { AccountsApi } from '../../api';

export interface DeskServices {
  desk: DeskStore;
  ledger: DeskLedgerStore;
  problems: DeskProblemsStore;
  /** For the enterprise picker (GET /api/admin/organisations). */
  accounts: AccountsApi;
}

export const DeskContext = createContext<DeskServices | null>(null);

export function useDesk(): DeskServices {
  const value = useContext(DeskContext);
  if (!value) throw new Error('useDesk outside <DeskContext.Provider>');
  return value;
}
