import { useState } from 'preact/hooks';
import { draftValueFen, type Draft } from '../../state/desk';
import {
  lotRef,
  moneyText,
  priceInputValue,
  priceUnitFor,
  readGrams,
  readPrice,
  shortTime,
  weightText,
} from '../../state/market-format';
import { marketHref } from '../../state/market-routes';
import type { MessageKey } from '../../i18n';
import { useApp } from '../context';
import { useStore } from '../use-store';
import { useMarket } from '../market/context';
import { useUnits } from '../market/bits';
import { useDesk } from './context';
import { deskFailureText, orgText, productText } from './bits';

const UNIT_KEY = { jin: 'market.unit.jin', kg: 'market.unit.kg', t: 'market.unit.t' } as const;
const PRICE_KEY = { jin: 'market.priceUnit.jin', kg: 'market.priceUnit.kg' } as const;

/** Proposals from find-buyers or match-all: the broker edits, deselects and sends. */
export function PlanPanel() {
  const { t } = useApp();
  const { desk } = useDesk();
  const { plan, drafts, planning, planError } = useStore(desk);
  const { unit } = useUnits();
  const [outcome, setOutcome] = useState<{ sent: number; failed: number } | null>(null);
  if (!plan) return null;
  const selected = drafts.filter((d) => d.selected && d.status !== 'sent');
  const total = selected.reduce((s, d) => s + draftValueFen(d), 0);
  const sending = drafts.some((d) => d.status === 'sending');
  const send = async () => {
    setOutcome(null);
    setOutcome(await desk.sendSelected());
  };
  return (
    <section class="card plan" aria-live="polite" data-testid="plan">
      <h2>{plan.kind === 'lot' ? t('desk.plan.titleLot') : t('desk.plan.titleAll')}</h2>
      {planning ? <p>{t('desk.plan.working')}</p> : null}
      {planError ? <p class="alert alert-error">{deskFailureText(t, planError)}</p> : null}
      {!planning && !planError && drafts.length === 0 ? <p class="muted">{t('desk.plan.empty')}</p> : null}
      {drafts.length > 0 ? (
        <div class="table-wrap">
          <table class="desk-table">
            <thead>
              <tr>
                <th scope="col">{t('desk.plan.select')}</th>
                <th scope="col">{t('desk.plan.lot')}</th>
                <th scope="col">{t('desk.board.buyer')}</th>
                <th scope="col">{t('desk.plan.quantity', { unit: t(UNIT_KEY[unit]) })}</th>
                <th scope="col">{t('desk.plan.price', { unit: t(PRICE_KEY[priceUnitFor(unit)]) })}</th>
                <th scope="col" class="num">
                  {t('desk.plan.value')}
                </th>
                <th scope="col">{t('desk.plan.status')}</th>
              </tr>
            </thead>
            <tbody>
              {drafts.map((d) => (
                <DraftRow key={`${d.key}-${unit}`} draft={d} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div class="desk-toolbar">
        {drafts.length > 0 ? <strong>{t('desk.plan.total', { value: moneyText(total, 'zh-CN') })}</strong> : null}
        {drafts.length > 0 ? (
          <button type="button" disabled={selected.length === 0 || sending} onClick={() => void send()}>
            {sending ? t('desk.plan.sending') : t('desk.plan.send', { n: selected.length })}
          </button>
        ) : null}
        <button type="button" class="secondary" onClick={() => desk.clearPlan()}>
          {t('desk.plan.close')}
        </button>
      </div>
      {outcome && outcome.sent > 0 ? <p class="alert alert-ok">{t('desk.plan.sent', { n: outcome.sent })}</p> : null}
      {outcome && outcome.failed > 0 ? (
        <p class="alert alert-error">{t('desk.plan.someFailed', { n: outcome.failed })}</p>
      ) : null}
    </section>
  );
}

function DraftRow({ draft }: { draft: Draft }) {
  const { t, locale } = useApp();
  const { desk } = useDesk();
  const { prefs } = useMarket();
  const { unit } = useStore(prefs);
  const { price, weight } = useUnits();
  const p = draft.proposal;
  const [qty, setQty] = useState(weightNumber(draft.quantityGrams, unit));
  const [priceText, setPriceText] = useState(priceInputValue(draft.priceFenPerKg, priceUnitFor(unit)));
  const [bad, setBad] = useState<MessageKey | null>(null);
  const locked = draft.status === 'sent' || draft.status === 'sending';
  const commit = () => {
    const q = readGrams(qty, unit);
    const pr = readPrice(priceText, priceUnitFor(unit));
    if (!q.ok || !pr.ok) return setBad('desk.plan.badNumber');
    setBad(null);
    desk.edit(draft.key, { quantityGrams: q.grams, priceFenPerKg: pr.fenPerKg });
  };
  return (
    <tr class={`draft draft-${draft.status}`} data-draft={draft.key}>
      <td>
        <input
          type="checkbox"
          checked={draft.selected}
          disabled={locked}
          aria-label={`${t('desk.plan.select')} ${orgText(t, p.buyerName)}`}
          onChange={(e) => desk.toggle(draft.key, e.currentTarget.checked)}
        />
      </td>
      <td>
        <strong>{productText(p.productCode, locale)}</strong>{' '}
        {p.urgent ? <span class="badge at-risk">{t('desk.plan.atRisk')}</span> : null}
        <div class="muted small">{orgText(t, p.sellerName)}</div>
        <div class="muted small" data-testid="draft-lot">
          <a href={marketHref({ name: 'lot', id: p.lotId })}>{t('desk.plan.lotRef', { ref: lotRef(p.lotId) })}</a>
          {p.lot
            ? ` · ${t('desk.plan.lotLeft', { w: weight(p.lot.remainingGrams) })} · ${t('market.expiresAt', { at: shortTime(p.lot.expiresAt) })}`
            : null}
        </div>
      </td>
      <td>
        {orgText(t, p.buyerName)}
        <div class="muted small">{t('desk.plan.distance', { km: Math.round(p.distanceKm * 10) / 10 })}</div>
      </td>
      <td>
        <input
          class="num-input"
          inputMode="decimal"
          value={qty}
          disabled={locked}
          aria-label={t('desk.plan.quantity', { unit: t(UNIT_KEY[unit]) })}
          onInput={(e) => setQty(e.currentTarget.value)}
          onBlur={commit}
        />
      </td>
      <td>
        <input
          class="num-input"
          inputMode="decimal"
          value={priceText}
          disabled={locked}
          aria-label={t('desk.plan.price', { unit: t(PRICE_KEY[priceUnitFor(unit)]) })}
          onInput={(e) => setPriceText(e.currentTarget.value)}
          onBlur={commit}
        />
        <div class="muted small">{price(draft.priceFenPerKg)}</div>
      </td>
      <td class="num">{moneyText(draftValueFen(draft), 'zh-CN')}</td>
      <td>
        <span class="badge">{t(`desk.plan.draftStatus.${draft.status}`)}</span>
        {bad ? <div class="field-error small">{t(bad)}</div> : null}
        {draft.error ? <div class="field-error small">{deskFailureText(t, draft.error)}</div> : null}
        <div class="muted small">{weightText(draft.quantityGrams, locale, unit)}</div>
      </td>
    </tr>
  );
}

/** The number alone, in the chosen unit, for an input ("400" for 200 kg in 斤). */
function weightNumber(grams: number, unit: 'jin' | 'kg' | 't'): string {
  const per = unit === 'jin' ? 500 : unit === 'kg' ? 1000 : 1_000_000;
  return (grams / per).toFixed(3).replace(/\.?0+$/, '');
}
