/**
 * The programme's live channel over the app's socket: remembers which campaign the page watches, sends
 * `campaign:watch` on every (re)connect (the server keeps it only in the socket's rooms), and hands
 * `programme:campaign` events to the page's listeners, and `programme:pairing` (sent to both sides of a pairing
 * and the chamber) to the pairings page. main.tsx attaches each new socket.
 */
import type { CampaignProgressEvent, PairingProgressEvent } from '../../shared/schemas/programme';
import type { AppSocket } from './socket';
import type { CampaignChannel } from './state/programme';

export interface ProgrammeChannel extends CampaignChannel {
  attach(socket: AppSocket): void;
}

export function programmeChannel(): ProgrammeChannel {
  let socket: AppSocket | null = null;
  let watching: string | null = null;
  const listeners = new Set<(event: CampaignProgressEvent) => void>();
  const pairingListeners = new Set<(event: PairingProgressEvent) => void>();
  const send = () => {
    if (socket?.connected && watching)
      void socket.timeout(10_000).emitWithAck('campaign:watch', { campaignId: watching });
  };
  return {
    attach(next) {
      socket = next;
      next.on('connect', send);
      next.on('programme:campaign', (event) => listeners.forEach((listen) => listen(event)));
      next.on('programme:pairing', (event) => pairingListeners.forEach((listen) => listen(event)));
      send();
    },
    watch(campaignId) {
      watching = campaignId;
      send();
    },
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onPairing(listener) {
      pairingListeners.add(listener);
      return () => pairingListeners.delete(listener);
    },
  };
}
