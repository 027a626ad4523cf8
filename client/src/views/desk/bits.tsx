/** Small pieces the desk pages share: names, error text, the desk's sub-navigation. */
import { findProduct, productName } from '../../../../shared/domain/catalogue';
import type { MessageKey, Translate } from '../../i18n';
import type { ApiFailure } from '../../state/api-result';
import { deskHref, type DeskRoute } from '../../state/desk-routes';
import { useApp } from '../context';

const CODE_KEYS: Partial<Record<string, MessageKey>> = {
  NETWORK: 'common.networkError',
  VALIDATION: 'common.fixFields',
  LOT_NOT_OPEN: 'desk.code.LOT_NOT_OPEN',
  FARM_NOT_VERIFIED: 'desk.code.FARM_NOT_VERIFIED',
  MARKET_REFUSED: 'desk.code.MARKET_REFUSED',
  SEND_NOT_AVAILABLE: 'desk.code.SEND_NOT_AVAILABLE',
  NOT_FOUND: 'desk.code.NOT_FOUND',
  FORBIDDEN: 'desk.code.FORBIDDEN',
  STALE: 'desk.code.STALE',
  WRONG_STATUS: 'desk.code.WRONG_STATUS',
  NOT_ON_A_VISIT: 'desk.code.NOT_ON_A_VISIT',
  VISIT_IN_FUTURE: 'desk.code.VISIT_IN_FUTURE',
  RESOLVED_IS_READ_ONLY: 'desk.code.RESOLVED_IS_READ_ONLY',
};

/** Server messages are English: people see our words for every code we know. */
export function deskFailureText(t: Translate, error: ApiFailure): string {
  const key = CODE_KEYS[error.code];
  return key ? t(key) : t('common.unknownError');
}

export function productText(code: string, locale: 'zh-CN' | 'en'): string {
  const p = findProduct(code);
  return p ? productName(p, locale) : code;
}

export function orgText(t: Translate, name: string | null | undefined): string {
  return name ?? t('desk.board.unknownOrg');
}

/** Per-mille as a percentage with one decimal ("87.5%"), without floating-point surprises. */
export const permilleText = (permille: number): string =>
  `${Math.floor(permille / 10)}${permille % 10 ? `.${permille % 10}` : ''}%`;

export function DeskTabs({ current }: { current: DeskRoute['name'] }) {
  const { t } = useApp();
  const tabs: [DeskRoute['name'], MessageKey][] = [
    ['board', 'desk.nav.board'],
    ['ledger', 'desk.nav.ledger'],
    ['problems', 'desk.nav.problems'],
  ];
  return (
    <nav class="desk-tabs" aria-label={t('desk.nav.board')}>
      {tabs.map(([name, key]) => (
        <a key={name} href={deskHref({ name })} aria-current={current === name ? 'page' : undefined}>
          {t(key)}
        </a>
      ))}
    </nav>
  );
}
