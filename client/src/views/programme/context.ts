import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { CampaignChannel, ProgrammeApi } from '../../state/programme';

export interface ProgrammeServices {
  api: ProgrammeApi;
  /** The live socket channel (null where there is no socket, e.g. tests). */
  channel: CampaignChannel | null;
  /**
   * Share links shown once: campaign id → the token from the answer that made it (creation or a new link).
   * In memory only, for this tab; the server keeps only the token's hash.
   */
  shareTokens: Map<string, string>;
}

export const ProgrammeContext = createContext<ProgrammeServices | null>(null);

export function useProgramme(): ProgrammeServices {
  const value = useContext(ProgrammeContext);
  if (!value) throw new Error('useProgramme outside <ProgrammeContext.Provider>');
  return value;
}
