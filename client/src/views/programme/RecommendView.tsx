import { useEffect, useState } from 'preact/hooks';
import type { CampaignView, OrgRef, RecommendationView, RecommendationsView } from '../../state/programme';
import type { MessageKey } from '../../i18n';
import { useApp } from '../context';
import { Page } from '../components/Page';
import { Field } from '../components/Field';
import { useProgramme } from './context';
import { GeneralError, Input, useServerErrors } from './forms';
import { money, product, weight } from './bits';

/**
 * Targeted recommendations (有针对性地推荐企业): pick a farm (or a village), see the enterprises most likely to
 * buy its surplus with the reason for each, and with one click send the ready brokered offer or invite the
 * enterprise to a campaign.
 */
export function RecommendView() {
  const { t, locale } = useApp();
  const { api } = useProgramme();
  const [farms, setFarms] = useState<OrgRef[]>([]);
  const [campaigns, setCampaigns] = useState<CampaignView[]>([]);
  const [farmId, setFarmId] = useState('');
  const [village, setVillage] = useState('');
  const [campaignId, setCampaignId] = useState('');
  const [result, setResult] = useState<RecommendationsView | null>(null);
  const [sent, setSent] = useState<Record<string, string>>({});
  const errors = useServerErrors(['farmId', 'village']);
  useEffect(() => {
    void api.organisations('farm').then((r) => setFarms(r.ok ? r.data.items : []));
    void api.campaigns().then((r) => {
      const open = r.ok ? r.data.items.filter((c) => c.status !== 'ended') : [];
      setCampaigns(open);
      setCampaignId(open[0]?.id ?? '');
    });
  }, []);

  const load = async (e: Event) => {
    e.preventDefault();
    errors.clear();
    setSent({});
    if (!farmId && !village.trim()) return errors.set({ farmId: t('programme.rec.pickFarm') });
    const got = await api.recommendations(farmId ? { farmId } : { village: village.trim() });
    if (got.ok) setResult(got.data);
    else {
      setResult(null);
      errors.take(got.error);
    }
  };
  const note = (orgId: string, text: string) => setSent((s) => ({ ...s, [orgId]: text }));
  const sendOffer = async (r: RecommendationView) => {
    if (!r.offer) return;
    const made = await api.sendOffer(r.offer);
    note(r.orgId, made.ok ? t('programme.rec.offerSent') : `${t('programme.rec.failed')}: ${made.error.message}`);
  };
  const invite = async (r: RecommendationView) => {
    const made = await api.invite(campaignId, [r.orgId]);
    note(r.orgId, made.ok ? t('programme.rec.invited') : `${t('programme.rec.failed')}: ${made.error.message}`);
  };

  return (
    <Page title={t('programme.recommendations')} wide>
      <form class="card stack" onSubmit={(e) => void load(e)} noValidate>
        <Field id="farmId" label={t('programme.rec.farm')} error={errors.at('farmId')}>
          <select
            id="farmId"
            name="farmId"
            value={farmId}
            onChange={(e) => setFarmId(e.currentTarget.value)}
            aria-invalid={errors.at('farmId') ? 'true' : undefined}
          >
            <option value="">{t('programme.rec.byVillage')}</option>
            {farms.map((f) => (
              <option key={f.id} value={f.id}>
                {f.address?.village ? `${f.name} · ${f.address.village}` : f.name}
              </option>
            ))}
          </select>
        </Field>
        {farmId ? null : (
          <Input
            id="village"
            label={t('programme.rec.village')}
            value={village}
            onValue={setVillage}
            error={errors.at('village')}
          />
        )}
        <GeneralError text={errors.general} />
        <button type="submit">{t('programme.rec.find')}</button>
      </form>
      {result ? (
        <section>
          <p data-testid="rec-target">
            {t('programme.rec.target', {
              farms: result.target.farms.map((f) => f.name).join('、'),
              products: result.target.productCodes.map((c) => product(c, locale)).join('、') || '—',
              atRisk: result.target.atRiskLots,
              surplus: weight(result.target.surplusGrams, locale),
            })}
          </p>
          {campaigns.length ? (
            <Field id="campaignId" label={t('programme.rec.campaign')}>
              <select id="campaignId" value={campaignId} onChange={(e) => setCampaignId(e.currentTarget.value)}>
                {campaigns.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
          {result.items.length === 0 ? (
            <p class="muted">{t('programme.rec.none')}</p>
          ) : (
            <ol class="recommendations" data-testid="recommendations">
              {result.items.map((r) => (
                <li key={r.orgId} class="card">
                  <div class="rec-head">
                    <strong>{r.name}</strong>
                    <span class="status">{t(`kind.short.${r.kind}` as MessageKey)}</span>
                  </div>
                  <p class="rec-reason">{r.reason[locale]}</p>
                  <div class="rec-actions">
                    {r.offer ? (
                      <button type="button" onClick={() => void sendOffer(r)} disabled={!!sent[r.orgId]}>
                        {t('programme.rec.sendOffer', {
                          quantity: weight(r.offer.quantityGrams, locale),
                          price: money(r.offer.priceFenPerKg, locale),
                        })}
                      </button>
                    ) : null}
                    {campaignId ? (
                      <button type="button" class="secondary" onClick={() => void invite(r)} disabled={!!sent[r.orgId]}>
                        {t('programme.rec.invite')}
                      </button>
                    ) : null}
                  </div>
                  {sent[r.orgId] ? (
                    <p class="live-note" role="status">
                      {sent[r.orgId]}
                    </p>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : null}
    </Page>
  );
}
