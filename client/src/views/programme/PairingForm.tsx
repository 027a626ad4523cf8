import { useEffect, useState } from 'preact/hooks';
import { addDays, shanghaiDate } from '../../../../shared/domain/calendar';
import { BUYER_KINDS } from '../../../../shared/schemas/accounts';
import {
  pledgeOf,
  programmeHref,
  shanghaiDayEnd,
  shanghaiDayStart,
  type OrgRef,
  type PledgeUnit,
} from '../../state/programme';
import type { MessageKey } from '../../i18n';
import { useApp } from '../context';
import { Page } from '../components/Page';
import { Field } from '../components/Field';
import { useProgramme } from './context';
import { CheckList, GeneralError, Input, splitList, useServerErrors } from './forms';

const UNITS: PledgeUnit[] = ['t', 'jin', 'kg', 'yuan'];
const SHOWN = ['enterpriseOrgId', 'farmIds', 'villages', 'startsAt', 'endsAt', 'pledgeGrams', 'pledgeFen', 'note'];

/** Chamber staff pair a member enterprise with farms or villages, with an optional pledge in 吨/斤/公斤 or 元. */
export function PairingForm() {
  const { t } = useApp();
  const { api } = useProgramme();
  const today = shanghaiDate(new Date());
  const [enterprises, setEnterprises] = useState<OrgRef[]>([]);
  const [farms, setFarms] = useState<OrgRef[]>([]);
  const [enterprise, setEnterprise] = useState('');
  const [farmIds, setFarmIds] = useState<string[]>([]);
  const [villages, setVillages] = useState('');
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(addDays(today, 89));
  const [amount, setAmount] = useState('');
  const [unit, setUnit] = useState<PledgeUnit>('t');
  const [note, setNote] = useState('');
  const errors = useServerErrors(SHOWN);
  useEffect(() => {
    void Promise.all(BUYER_KINDS.map((k) => api.organisations(k))).then((all) =>
      setEnterprises(all.flatMap((r) => (r.ok ? r.data.items : []))),
    );
    void api.organisations('farm').then((r) => setFarms(r.ok ? r.data.items : []));
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    errors.clear();
    const pledge = pledgeOf(amount, unit);
    const local: Record<string, string> = {};
    if (!enterprise) local.enterpriseOrgId = t('programme.pairForm.pickEnterprise');
    if (!pledge.ok) local[unit === 'yuan' ? 'pledgeFen' : 'pledgeGrams'] = t('programme.pairForm.badPledge');
    if (!from) local.startsAt = t('programme.pairForm.pickDate');
    if (!to) local.endsAt = t('programme.pairForm.pickDate');
    if (Object.keys(local).length || !pledge.ok) return errors.set(local);
    const villageList = splitList(villages);
    const made = await api.createPairing({
      enterpriseOrgId: enterprise,
      ...(farmIds.length ? { farmIds } : {}),
      ...(villageList.length ? { villages: villageList } : {}),
      startsAt: shanghaiDayStart(from),
      endsAt: shanghaiDayEnd(to),
      ...pledge.pledge,
      ...(note.trim() ? { note: note.trim() } : {}),
    });
    if (made.ok) location.hash = programmeHref({ name: 'pairings' });
    else errors.take(made.error);
  };
  const pledgeError = errors.at('pledgeGrams') ?? errors.at('pledgeFen');
  return (
    <Page title={t('programme.newPairing')}>
      <form onSubmit={(e) => void submit(e)} class="stack" noValidate>
        <Field id="enterpriseOrgId" label={t('programme.pairing.enterprise')} error={errors.at('enterpriseOrgId')}>
          <select
            id="enterpriseOrgId"
            name="enterpriseOrgId"
            value={enterprise}
            onChange={(e) => setEnterprise(e.currentTarget.value)}
            aria-invalid={errors.at('enterpriseOrgId') ? 'true' : undefined}
          >
            <option value="">{t('programme.pairForm.choose')}</option>
            {enterprises.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}（{t(`kind.short.${o.kind}` as MessageKey)}）
              </option>
            ))}
          </select>
        </Field>
        <CheckList
          id="farmIds"
          label={t('programme.pairForm.farms')}
          options={farms.map((f) => ({
            value: f.id,
            label: f.address?.village ? `${f.name} · ${f.address.village}` : f.name,
          }))}
          chosen={farmIds}
          onChange={setFarmIds}
          error={errors.at('farmIds')}
          empty={t('programme.pairForm.noFarms')}
        />
        <Input
          id="villages"
          label={t('programme.pairForm.villages')}
          value={villages}
          onValue={setVillages}
          error={errors.at('villages')}
          optional
        />
        <div class="grid2">
          <Input
            id="startsAt"
            type="date"
            label={t('programme.pairForm.from')}
            value={from}
            onValue={setFrom}
            error={errors.at('startsAt')}
          />
          <Input
            id="endsAt"
            type="date"
            label={t('programme.pairForm.to')}
            value={to}
            onValue={setTo}
            error={errors.at('endsAt')}
          />
        </div>
        <Field id="pledge" label={t('programme.pairing.pledge')} error={pledgeError} optional>
          <div class="pledge-row">
            <input
              id="pledge"
              name="pledge"
              inputMode="decimal"
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
              aria-invalid={pledgeError ? 'true' : undefined}
            />
            <select
              name="pledgeUnit"
              aria-label={t('programme.pairForm.unit')}
              value={unit}
              onChange={(e) => setUnit(e.currentTarget.value as PledgeUnit)}
            >
              {UNITS.map((u) => (
                <option key={u} value={u}>
                  {t(`programme.unit.${u}`)}
                </option>
              ))}
            </select>
          </div>
        </Field>
        <Input
          id="note"
          label={t('programme.pairForm.note')}
          value={note}
          onValue={setNote}
          error={errors.at('note')}
          optional
        />
        <GeneralError text={errors.general} />
        <button type="submit">{t('programme.pairForm.create')}</button>
      </form>
    </Page>
  );
}
