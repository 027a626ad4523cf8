import { useState } from 'preact/hooks';
import { priceInputValue, priceUnitFor, readPrice } from '../../state/market-format';
import type { Lot } from '../../state/market-types';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { useMarket } from './context';
import { failureText } from './bits';

/** Start a clock sale: the price falls from the start to the reserve, reached some hours before expiry. */
export function ClockSetup({ lot }: { lot: Lot }) {
  const { t } = useApp();
  const { market, prefs } = useMarket();
  const { unit } = useStore(prefs);
  const per = priceUnitFor(unit);
  const [open, setOpen] = useState(false);
  const [start, setStart] = useState(() => priceInputValue(lot.askPriceFenPerKg, per));
  const [hours, setHours] = useState('2');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!open) {
    return (
      <button type="button" class="secondary" onClick={() => setOpen(true)}>
        {t('market.clock.start')}
      </button>
    );
  }
  const submit = async () => {
    const p = readPrice(start, per);
    const h = Number(hours);
    if (!p.ok) return setProblem(t(p.error));
    if (!Number.isFinite(h) || h < 0) return setProblem(t('market.error.hours'));
    setBusy(true);
    const r = await market.startClock(lot.id, { startPriceFenPerKg: p.fenPerKg, floorHoursBeforeExpiry: h });
    setBusy(false);
    if (!r.ok) setProblem(failureText(t, r.error));
    else setOpen(false);
  };
  return (
    <div class="inline-form">
      <p class="hint muted">{t('market.clock.explain')}</p>
      <label>
        {t('market.clock.startPrice', { per: t(`market.priceUnit.${per}`) })}
        <input inputMode="decimal" value={start} onInput={(e) => setStart(e.currentTarget.value)} />
      </label>
      <label>
        {t('market.clock.floorHours')}
        <input inputMode="decimal" value={hours} onInput={(e) => setHours(e.currentTarget.value)} />
      </label>
      <div class="actions">
        <button type="button" disabled={busy} onClick={() => void submit()}>
          {t('market.clock.go')}
        </button>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </button>
      </div>
      {problem ? (
        <p class="error" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
