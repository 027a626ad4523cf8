/**
 * Change an order's delivery or pickup address and slot, until dispatch (either party). Problems show at
 * their fields — ours before sending, the server's after — and go as the person edits that field.
 */
import { useState } from 'preact/hooks';
import {
  DELIVERY_EDIT_PATHS,
  deliveryEditInput,
  readDeliveryEdit,
  type DeliveryEditInput,
} from '../../state/delivery-edit';
import type { Order } from '../../state/market-types';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { useFieldErrors } from '../components/use-field-errors';
import { useMarket } from './context';
import { failureText } from './bits';

const ID = 'delivery-edit';

export function DeliveryEdit({ order, onSaved }: { order: Order; onSaved: (order: Order) => void }) {
  const { t, say } = useApp();
  const { market, prefs } = useMarket();
  const { unit } = useStore(prefs);
  const [open, setOpen] = useState(false);
  const [input, setInput] = useState<DeliveryEditInput>(() => deliveryEditInput(order));
  const [local, setLocal] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const server = useFieldErrors(DELIVERY_EDIT_PATHS, ID, unit);

  if (!open) {
    return (
      <div class="actions">
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setInput(deliveryEditInput(order));
            setLocal({});
            server.clear();
            setProblem(null);
            setNotice(null);
            setOpen(true);
          }}
        >
          {t('market.deliveryEdit.open')}
        </button>
        {notice ? (
          <p class="okay" role="status">
            {notice}
          </p>
        ) : null}
      </div>
    );
  }

  const set = (name: keyof DeliveryEditInput, value: string) => {
    setInput((current) => ({ ...current, [name]: value }));
    setLocal((current) => {
      const next = { ...current };
      delete next[name];
      return next;
    });
    server.edited(name);
  };
  const errorOf = (name: string) => local[name] ?? server.errors[name];
  const aria = (name: string) =>
    errorOf(name) ? { 'aria-invalid': true as const, 'aria-describedby': `${ID}-${name}-error` } : {};
  const problemAt = (name: string) =>
    errorOf(name) ? (
      <span class="error" id={`${ID}-${name}-error`}>
        {errorOf(name)}
      </span>
    ) : null;

  async function save(e: Event) {
    e.preventDefault();
    setProblem(null);
    server.clear();
    const read = readDeliveryEdit(input);
    if (!read.ok) {
      setLocal(Object.fromEntries(Object.entries(read.fields).map(([k, m]) => [k, say(m)])));
      setProblem(t('common.fixFields'));
      return;
    }
    setLocal({});
    setBusy(true);
    const r = await market.orderAction(order.id, 'delivery', read.body);
    setBusy(false);
    if (r.ok) {
      onSaved(r.data);
      setNotice(t('market.deliveryEdit.saved'));
      setOpen(false);
      return;
    }
    const unplaced = server.show(r.error);
    const placed = Object.keys(r.error.fields).length > unplaced.length;
    setProblem([placed ? t('common.fixFields') : failureText(t, r.error), ...unplaced].join(' '));
  }

  return (
    <form class="inline-form delivery-edit" onSubmit={save} noValidate>
      <h3>{t('market.deliveryEdit.title')}</h3>
      <p class="hint muted">{t('market.deliveryEdit.hint')}</p>
      <fieldset class="field">
        <legend>{t('market.deliveryEdit.mode')}</legend>
        {(['delivery', 'pickup'] as const).map((mode) => (
          <label class="check" key={mode}>
            <input
              type="radio"
              name={`${ID}-mode`}
              value={mode}
              checked={input.mode === mode}
              onChange={() => set('mode', mode)}
            />
            {t(`market.deliveryEdit.mode.${mode}`)}
          </label>
        ))}
        {problemAt('mode')}
      </fieldset>
      <div class="field">
        <label for={`${ID}-address`}>
          {t(input.mode === 'pickup' ? 'market.deliveryEdit.pickupAddress' : 'market.deliveryEdit.address')}
        </label>
        <input
          id={`${ID}-address`}
          name="address"
          value={input.address}
          maxLength={400}
          onInput={(e) => set('address', e.currentTarget.value)}
          {...aria('address')}
        />
        {problemAt('address')}
      </div>
      <div class="field">
        <label for={`${ID}-date`}>{t('market.deliveryEdit.date')}</label>
        <input
          id={`${ID}-date`}
          name="date"
          type="date"
          value={input.date}
          onInput={(e) => set('date', e.currentTarget.value)}
          {...aria('date')}
        />
        {problemAt('date')}
      </div>
      <div class="field">
        <label for={`${ID}-from`}>{t('market.deliveryEdit.from')}</label>
        <input
          id={`${ID}-from`}
          name="from"
          type="time"
          value={input.from}
          onInput={(e) => set('from', e.currentTarget.value)}
          {...aria('from')}
        />
        {problemAt('from')}
      </div>
      <div class="field">
        <label for={`${ID}-to`}>{t('market.deliveryEdit.to')}</label>
        <input
          id={`${ID}-to`}
          name="to"
          type="time"
          value={input.to}
          onInput={(e) => set('to', e.currentTarget.value)}
          {...aria('to')}
        />
        {problemAt('to')}
      </div>
      <div class="actions">
        <button type="submit" disabled={busy}>
          {t('market.deliveryEdit.save')}
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
    </form>
  );
}
