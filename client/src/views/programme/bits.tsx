import { findProduct, productName } from '../../../../shared/domain/catalogue';
import { formatWeight, formatYuan } from '../../../../shared/domain/units';
import type { ProgressView } from '../../../../shared/schemas/programme';
import type { Locale, Translate } from '../../i18n';
import { formatDateTime } from '../../state/format';

export const money = (fen: number, locale: Locale) => formatYuan(fen, locale);
export const weight = (grams: number, locale: Locale) => formatWeight(grams, locale);
export const when = (iso: string) => formatDateTime(iso);
export const product = (code: string, locale: Locale) => {
  const p = findProduct(code);
  return p ? productName(p, locale) : code;
};

/** A bar of progress against a target (or just the figure when there is none). */
export function TargetBar({
  label,
  done,
  target,
  permille,
  text,
  t,
}: {
  label: string;
  done: string;
  target?: string;
  permille: number | null;
  text: string;
  t: Translate;
}) {
  const percent = permille === null ? null : Math.floor(permille / 10);
  return (
    <div class="target">
      <div class="target-head">
        <span>{label}</span>
        <strong data-testid={`progress-${text}`}>{done}</strong>
        <span class="muted">{target ? t('programme.target', { target }) : t('programme.noTarget')}</span>
      </div>
      {percent === null ? null : (
        <div
          class="bar"
          role="progressbar"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.min(100, percent)}
        >
          <div class="bar-fill" style={{ width: `${Math.min(100, percent)}%` }} />
          <span>{t('programme.permille', { percent })}</span>
        </div>
      )}
    </div>
  );
}

export function ProgressFigures({ progress, locale, t }: { progress: ProgressView; locale: Locale; t: Translate }) {
  return (
    <dl class="figures">
      <div>
        <dt>{t('programme.value')}</dt>
        <dd data-testid="campaign-value">{money(progress.valueFen, locale)}</dd>
      </div>
      <div>
        <dt>{t('programme.grams')}</dt>
        <dd data-testid="campaign-grams">{weight(progress.grams, locale)}</dd>
      </div>
      <div>
        <dt>{t('programme.orders')}</dt>
        <dd data-testid="campaign-orders">{progress.orders}</dd>
      </div>
      <div>
        <dt>{t('programme.buyers')}</dt>
        <dd>{progress.buyers}</dd>
      </div>
    </dl>
  );
}
