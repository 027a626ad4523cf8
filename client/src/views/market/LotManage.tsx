import { useState } from 'preact/hooks';
import { LOT_PHOTO_LIMITS } from '../../../../shared/schemas/market';
import { gramsInputValue, priceInputValue, priceUnitFor, readGrams, readPrice } from '../../state/market-format';
import type { Lot } from '../../state/market-types';
import type { ApiResult } from '../../state/api-result';
import { serverFieldMessages, withoutField } from '../../state/field-errors';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { Alert } from '../components/Alert';
import { useMarket } from './context';
import { failureText } from './bits';
import { shrinkPhoto } from './photo-resize';

type Message = { kind: 'ok' | 'error'; text: string } | null;

/**
 * The farm's controls for one open lot (我的货 and the lot page): edit prices, total and minimum take;
 * photos; stop the clock sale; withdraw (下架). Destructive steps ask once more before they go.
 */
export function LotManage({ lot }: { lot: Lot }) {
  const { t } = useApp();
  const { market } = useMarket();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState<'withdraw' | 'stopClock' | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const [busy, setBusy] = useState(false);
  if (lot.status !== 'open') return null;

  const run = async (action: () => Promise<ApiResult<Lot>>, done: string) => {
    setBusy(true);
    const r = await action();
    setBusy(false);
    setConfirming(null);
    setMessage(r.ok ? { kind: 'ok', text: done } : { kind: 'error', text: failureText(t, r.error) });
  };

  return (
    <section class="lot-manage" aria-label={t('market.manage.title')}>
      <div class="actions">
        <button type="button" class="secondary" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          {t('market.manage.edit')}
        </button>
        {lot.clock ? (
          <button type="button" class="secondary" onClick={() => setConfirming('stopClock')}>
            {t('market.manage.stopClock')}
          </button>
        ) : null}
        <button type="button" class="danger" onClick={() => setConfirming('withdraw')}>
          {t('market.manage.withdraw')}
        </button>
      </div>
      {confirming ? (
        <div class="confirm" role="alertdialog" aria-label={t(`market.manage.confirm.${confirming}`)}>
          <p>{t(`market.manage.confirm.${confirming}`)}</p>
          <div class="actions">
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() =>
                void (confirming === 'withdraw'
                  ? run(() => market.withdrawLot(lot.id), t('market.manage.withdrawn'))
                  : run(() => market.stopClock(lot.id), t('market.manage.clockStopped')))
              }
            >
              {t('market.manage.confirmYes')}
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : null}
      {editing ? <EditForm lot={lot} onDone={(m) => (setMessage(m), m.kind === 'ok' && setEditing(false))} /> : null}
      <PhotoManager lot={lot} />
      {message ? <Alert kind={message.kind}>{message.text}</Alert> : null}
    </section>
  );
}

function EditForm({ lot, onDone }: { lot: Lot; onDone: (m: NonNullable<Message>) => void }) {
  const { t, say } = useApp();
  const { market, prefs } = useMarket();
  const { unit } = useStore(prefs);
  const per = priceUnitFor(unit);
  const [ask, setAsk] = useState(() => priceInputValue(lot.askPriceFenPerKg, per));
  const [reserve, setReserve] = useState(() => priceInputValue(lot.reservePriceFenPerKg, per));
  const [quantity, setQuantity] = useState(() => gramsInputValue(lot.quantityGrams, unit));
  const [minTake, setMinTake] = useState(() => gramsInputValue(lot.minTakeGrams ?? 0, unit));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const a = readPrice(ask, per);
    const r = readPrice(reserve, per);
    const q = readGrams(quantity, unit);
    const m = readGrams(minTake, unit);
    const local: Record<string, string> = {};
    if (!a.ok) local.askPriceFenPerKg = t(a.error);
    if (!r.ok) local.reservePriceFenPerKg = t(r.error);
    if (!q.ok) local.quantityGrams = t(q.error);
    if (!m.ok) local.minTakeGrams = t(m.error);
    setErrors(local);
    if (!a.ok || !r.ok || !q.ok || !m.ok) return;
    const body = {
      ...(a.fenPerKg !== lot.askPriceFenPerKg ? { askPriceFenPerKg: a.fenPerKg } : {}),
      ...(r.fenPerKg !== lot.reservePriceFenPerKg ? { reservePriceFenPerKg: r.fenPerKg } : {}),
      ...(q.grams !== lot.quantityGrams ? { quantityGrams: q.grams } : {}),
      ...(m.grams !== lot.minTakeGrams ? { minTakeGrams: m.grams } : {}),
    };
    setBusy(true);
    const result = await market.editLot(lot.id, body);
    setBusy(false);
    if (result.ok) return onDone({ kind: 'ok', text: t('market.manage.saved') });
    // The server names the field at fault: show its message there.
    if (Object.keys(result.error.fields).length > 0)
      setErrors(
        Object.fromEntries(Object.entries(serverFieldMessages(result.error, unit)).map(([path, m]) => [path, say(m)])),
      );
    onDone({ kind: 'error', text: failureText(t, result.error) });
  };
  const field = (id: string, name: string, label: string, value: string, onInput: (v: string) => void) => (
    <div class="field">
      <label for={`${id}-${lot.id}`}>{label}</label>
      <input
        id={`${id}-${lot.id}`}
        inputMode="decimal"
        value={value}
        onInput={(e) => {
          onInput(e.currentTarget.value);
          if (errors[name] !== undefined) setErrors(withoutField(errors, [name]));
        }}
        {...(errors[name] ? { 'aria-invalid': true, 'aria-describedby': `${id}-${lot.id}-error` } : {})}
      />
      {errors[name] ? (
        <span class="error" id={`${id}-${lot.id}-error`}>
          {errors[name]}
        </span>
      ) : null}
    </div>
  );
  const perLabel = t(`market.priceUnit.${per}`);
  const unitLabel = t(`market.unit.${unit}`);
  return (
    <form class="edit-lot" onSubmit={(e) => void submit(e)} noValidate>
      <div class="grid2">
        {field('edit-ask', 'askPriceFenPerKg', t('market.post.ask', { per: perLabel }), ask, setAsk)}
        {field(
          'edit-reserve',
          'reservePriceFenPerKg',
          t('market.post.reserve', { per: perLabel }),
          reserve,
          setReserve,
        )}
        {field(
          'edit-quantity',
          'quantityGrams',
          t('market.manage.quantity', { unit: unitLabel }),
          quantity,
          setQuantity,
        )}
        {field('edit-min', 'minTakeGrams', t('market.manage.minTake', { unit: unitLabel }), minTake, setMinTake)}
      </div>
      <p class="hint muted">{t('market.manage.quantityHint')}</p>
      <button type="submit" disabled={busy}>
        {busy ? t('common.working') : t('market.manage.save')}
      </button>
    </form>
  );
}

function PhotoManager({ lot }: { lot: Lot }) {
  const { t } = useApp();
  const { market } = useMarket();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const photos = lot.photos ?? [];
  const add = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const { photo, thumb } = await shrinkPhoto(file);
      const r = await market.addPhoto(lot.id, photo, thumb);
      if (!r.ok) setProblem(failureText(t, r.error));
    } catch {
      setProblem(t('market.photos.unreadable'));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (photoId: string) => {
    if (!window.confirm(t('market.photos.confirmDelete'))) return;
    const r = await market.deletePhoto(lot.id, photoId);
    if (!r.ok) setProblem(failureText(t, r.error));
  };
  return (
    <div class="photo-manager">
      <ul class="photo-strip">
        {photos.map((p) => (
          <li key={p.id}>
            <img src={p.thumbUrl} alt={t('market.photos.alt')} width={96} height={96} loading="lazy" />
            <button type="button" class="link small" onClick={() => void remove(p.id)}>
              {t('market.photos.delete')}
            </button>
          </li>
        ))}
      </ul>
      {photos.length < LOT_PHOTO_LIMITS.perLot ? (
        <label class="button secondary file-button">
          {busy ? t('common.working') : t('market.photos.add', { n: photos.length, max: LOT_PHOTO_LIMITS.perLot })}
          <input
            type="file"
            accept="image/*"
            class="sr-only"
            disabled={busy}
            onChange={(e) => void add(e.currentTarget)}
          />
        </label>
      ) : null}
      {problem ? (
        <p class="error" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
