import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { CampaignChannel, ProgrammeApi } from '../../state/programme';

export interface ProgrammeServices {
  api: ProgrammeApi;
  /** The live socket channel (null where there is no socket, e.g. tests). */
  channel: CampaignChannel | null;
}

export const ProgrammeContext = createContext<ProgrammeServices | null>(null);

export function useProgramme(): ProgrammeServices {
  const value = useContext(ProgrammeContext);
  if (!value) throw new Error('useProgramme outside <ProgrammeContext.Provider>');
  return value;
}
