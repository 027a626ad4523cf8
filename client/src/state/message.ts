import type { FieldIssue } from '../../../shared/failures';
import type { MessageKey, Params } from '../i18n';
import type { DisplayUnit } from './market-format';

/**
 * Something to show a person: a dictionary key (translated at render), the server's own words, or the
 * server's machine-readable problem with a field (worded at render in the person's language, its limit in
 * `unit`: field-errors.ts `renderMessage`).
 */
export type Message =
  { key: MessageKey; params?: Params } | { text: string } | { issue: FieldIssue; path: string; unit?: DisplayUnit };

export const msg = (key: MessageKey, params?: Params): Message => ({ key, params });
