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
import { FieldProblem, InlineInput, useFieldErrors } from '../components/use-field-errors';
import { useMarket } from './context';
import { useCardAction } from './card-action';

const ID = 'delivery-edit';

export function DeliveryEdit({ order, onSaved }: { order: Order; onSaved: (order: Order) => void }) {
  const { t, say } = useApp();
  const { market, prefs } = useMarket();
  const { unit } = useStore(prefs);
  const [open, setOpen] = useState(false);
  const [input, setInput] = useState<DeliveryEditInput>(() => deliveryEditInput(order));
  const [notice, setNotice] = useState<string | null>(null);
  const fields = useFieldErrors(DELIVERY_EDIT_PATHS, ID, unit);
  const { busy, problem, setProblem, refuse, run } = useCardAction(fields);

  if (!open) {
    return (
      <div class="actions">
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setInput(deliveryEditInput(order));
            fields.clear();
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

  const set = (name: keyof DeliveryEditInput) => (value: string) => {
    setInput((current) => ({ ...current, [name]: value }));
    fields.edited(name);
  };
  const field = { idPrefix: ID, handle: fields, inputMode: 'text' as const };

  async function save(e: Event) {
    e.preventDefault();
    setProblem(null);
    const read = readDeliveryEdit(input);
    if (!read.ok) {
      return refuse(Object.fromEntries(Object.entries(read.fields).map(([k, m]) => [k, say(m)])));
    }
    let saved: Order | null = null;
    const done = await run(async () => {
      const r = await market.orderAction(order.id, 'delivery', read.body);
      if (r.ok) saved = r.data;
      return r;
    });
    if (done && saved) {
      onSaved(saved);
      setNotice(t('market.deliveryEdit.saved'));
      setOpen(false);
    }
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
              onChange={() => set('mode')(mode)}
            />
            {t(`market.deliveryEdit.mode.${mode}`)}
          </label>
        ))}
        <FieldProblem handle={fields} name="mode" idPrefix={ID} />
      </fieldset>
      <InlineInput
        {...field}
        label={t(input.mode === 'pickup' ? 'market.deliveryEdit.pickupAddress' : 'market.deliveryEdit.address')}
        name="address"
        value={input.address}
        onValue={set('address')}
        maxLength={400}
      />
      <InlineInput
        {...field}
        label={t('market.deliveryEdit.date')}
        name="date"
        type="date"
        value={input.date}
        onValue={set('date')}
      />
      <InlineInput
        {...field}
        label={t('market.deliveryEdit.from')}
        name="from"
        type="time"
        value={input.from}
        onValue={set('from')}
      />
      <InlineInput
        {...field}
        label={t('market.deliveryEdit.to')}
        name="to"
        type="time"
        value={input.to}
        onValue={set('to')}
      />
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
