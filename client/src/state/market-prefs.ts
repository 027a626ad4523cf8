import type { KeyValueStorage } from '../i18n';
import { Store } from './store';
import { DISPLAY_UNITS, type DisplayUnit } from './market-format';

export interface MarketPrefsState {
  /** Weights in 斤, 公斤 or 吨 (prices per 斤 or per 公斤 to match); 斤 by default, as in a wet market. */
  unit: DisplayUnit;
  /** A short beep when a bid arrives; off by default (a phone in a packing shed should not beep unasked). */
  sound: boolean;
}

const UNIT_KEY = 'freshlink.unit';
const SOUND_KEY = 'freshlink.bidSound';

function read(storage: KeyValueStorage | undefined, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** The person's display choices, persisted like the language. */
export class MarketPrefsStore extends Store<MarketPrefsState> {
  readonly #storage: KeyValueStorage | undefined;

  constructor(storage?: KeyValueStorage) {
    const unit = read(storage, UNIT_KEY);
    super({
      unit: DISPLAY_UNITS.find((u) => u === unit) ?? 'jin',
      sound: read(storage, SOUND_KEY) === 'on',
    });
    this.#storage = storage;
  }

  #save(key: string, value: string): void {
    try {
      this.#storage?.setItem(key, value);
    } catch {
      // not persisted; the choice still applies to this visit
    }
  }

  setUnit(unit: DisplayUnit): void {
    this.#save(UNIT_KEY, unit);
    this.setState({ unit });
  }

  toggleSound(): void {
    const sound = !this.state.sound;
    this.#save(SOUND_KEY, sound ? 'on' : 'off');
    this.setState({ sound });
  }
}
