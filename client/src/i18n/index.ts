import { Store } from '../state/store';
import { zhCN, type MessageKey } from './zh-CN';
import { en } from './en';

export type { MessageKey };
export type Locale = 'zh-CN' | 'en';
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

const dictionaries: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const template = dictionaries[locale][key] ?? zhCN[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

function isLocale(value: unknown): value is Locale {
  return value === 'zh-CN' || value === 'en';
}

/** localStorage, or an in-memory stand-in in tests. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const STORAGE_KEY = 'freshlink.locale';

export interface I18nState {
  locale: Locale;
}

/** zh-CN unless the person chose English before (the choice is persisted). */
export class I18nStore extends Store<I18nState> {
  readonly #storage: KeyValueStorage | undefined;

  constructor(storage?: KeyValueStorage) {
    let saved: string | null;
    try {
      saved = storage?.getItem(STORAGE_KEY) ?? null;
    } catch {
      saved = null; // storage can be disabled (private mode); fall back to zh-CN
    }
    super({ locale: isLocale(saved) ? saved : 'zh-CN' });
    this.#storage = storage;
  }

  readonly t: Translate = (key, params) => translate(this.state.locale, key, params);

  setLocale(locale: Locale): void {
    if (locale === this.state.locale) return;
    try {
      this.#storage?.setItem(STORAGE_KEY, locale);
    } catch {
      // Not persisted, but the switch still applies to this visit.
    }
    this.setState({ locale });
  }

  toggle(): void {
    this.setLocale(this.state.locale === 'zh-CN' ? 'en' : 'zh-CN');
  }
}
