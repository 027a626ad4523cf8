import type { MessageKey, Params } from '../i18n';

/** Something to show a person: a dictionary key (translated at render) or the server's own words. */
export type Message = { key: MessageKey; params?: Params } | { text: string };

export const msg = (key: MessageKey, params?: Params): Message => ({ key, params });
