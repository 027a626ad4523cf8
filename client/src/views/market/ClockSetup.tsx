import { useState } from 'preact/hooks';
import { priceInputValue, priceUnitFor, readPrice } from '../../state/market-format';
import type { Lot } from '../../state/market-types';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { useMarket } from './context';
import { failureText } from './bits';
import { InlineInput, useFieldErrors } from '../components/use-field-errors';
import { CLOCK_FORM_PATHS } from '../../state/field-errors';
import { ProblemLine, SendOrCancel } from '../components/InlineActions';

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
  const id = `clock-${lot.id}`;
  const server = useFieldErrors(CLOCK_FORM_PATHS, id, unit);
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
    setProblem(null);
    server.clear();
    const r = await market.startClock(lot.id, { startPriceFenPerKg: p.fenPerKg, floorHoursBeforeExpiry: h });
    setBusy(false);
    if (r.ok) return setOpen(false);
    const unplaced = server.show(r.error);
    const placed = Object.keys(r.error.fields).length > unplaced.length;
    setProblem([placed ? t('common.fixFields') : failureText(t, r.error), ...unplaced].join(' '));
  };
  return (
    <div class="inline-form">
      <p class="hint muted">{t('market.clock.explain')}</p>
      <InlineInput
        label={t('market.clock.startPrice', { per: t(`market.priceUnit.${per}`) })}
        name="start"
        idPrefix={id}
        value={start}
        onValue={setStart}
        handle={server}
      />
      <InlineInput
        label={t('market.clock.floorHours')}
        name="hours"
        idPrefix={id}
        value={hours}
        onValue={setHours}
        handle={server}
      />
      <SendOrCancel
        label={t('market.clock.go')}
        onSend={() => void submit()}
        onCancel={() => setOpen(false)}
        disabled={busy}
      />
      <ProblemLine text={problem} />
    </div>
  );
}
