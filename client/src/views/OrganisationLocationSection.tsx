import { useState } from 'preact/hooks';
import { request } from '../api';
import type { OrganisationResponse } from '../../../shared/schemas/accounts';
import { useApp } from './context';
import { useStore } from './use-store';
import { Field } from './components/Field';

/**
 * Where the organisation is (PATCH /api/organisation/location): a farm's lots are picked up there unless a
 * lot names its own point; a restaurant's board sorts by distance from it. Typed as lat/lng or taken from
 * the browser (navigator.geolocation); the server checks the ranges and names the field at fault.
 */
export function OrganisationLocationSection() {
  const { t, session } = useApp();
  const { me } = useStore(session);
  const [lat, setLat] = useState(me?.organisation.location ? String(me.organisation.location.lat) : '');
  const [lng, setLng] = useState(me?.organisation.location ? String(me.organisation.location.lng) : '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState('');
  if (!me || me.organisation.kind === 'chamber') return null;
  const canManage = me.user.role === 'manager';
  const hint = me.organisation.kind === 'farm' ? t('org.location.hintFarm') : t('org.location.hintBuyer');

  const useMine = () => {
    if (!('geolocation' in navigator)) return setStatus(t('org.location.noGeolocation'));
    setStatus(t('common.working'));
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLat(position.coords.latitude.toFixed(5));
        setLng(position.coords.longitude.toFixed(5));
        setStatus(t('org.location.fromDevice'));
      },
      () => setStatus(t('org.location.noGeolocation')),
      { timeout: 10_000 },
    );
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const number = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
    const body = { lat: number(lat), lng: number(lng) };
    const local: Record<string, string> = {};
    if (!Number.isFinite(body.lat) || Math.abs(body.lat) > 90) local.lat = t('org.location.badLat');
    if (!Number.isFinite(body.lng) || Math.abs(body.lng) > 180) local.lng = t('org.location.badLng');
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setStatus(t('common.working'));
    const r = await request<OrganisationResponse>(fetch, 'PATCH', '/api/organisation/location', body);
    if (r.ok) {
      session.replaceMe({ ...me, organisation: r.data.organisation });
      setStatus(t('org.location.saved'));
    } else {
      const fields = r.error.fields ?? {};
      setErrors({
        ...(fields.lat ? { lat: t('org.location.badLat') } : {}),
        ...(fields.lng ? { lng: t('org.location.badLng') } : {}),
      });
      setStatus(r.error.status === 403 ? t('org.location.managersOnly') : t('org.location.notSaved'));
    }
  };

  return (
    <section class="card" aria-labelledby="org-location">
      <h2 id="org-location">{t('org.location.title')}</h2>
      <p class="muted">{hint}</p>
      <form class="location-form" onSubmit={(e) => void save(e)} noValidate>
        {(['lat', 'lng'] as const).map((name) => (
          <CoordinateField
            key={name}
            name={name}
            label={t(`org.location.${name}`)}
            value={name === 'lat' ? lat : lng}
            onValue={name === 'lat' ? setLat : setLng}
            error={errors[name]}
            disabled={!canManage}
          />
        ))}
        {canManage ? (
          <div class="actions">
            <button type="button" class="secondary" onClick={useMine}>
              {t('org.location.useMine')}
            </button>
            <button type="submit">{t('common.save')}</button>
          </div>
        ) : (
          <p class="muted">{t('org.location.managersOnly')}</p>
        )}
        {status ? (
          <p class="muted" role="status">
            {status}
          </p>
        ) : null}
      </form>
    </section>
  );
}

interface CoordinateFieldProps {
  name: 'lat' | 'lng';
  label: string;
  value: string;
  onValue(value: string): void;
  error: string | undefined;
  disabled: boolean;
}

/** One coordinate (latitude or longitude) with its problem under it. */
function CoordinateField({ name, label, value, onValue, error, disabled }: CoordinateFieldProps) {
  const id = `org-${name}`;
  return (
    <Field id={id} label={label} {...(error ? { error } : {})}>
      <input
        id={id}
        name={name}
        inputMode="decimal"
        value={value}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onInput={(e) => onValue((e.target as HTMLInputElement).value)}
      />
    </Field>
  );
}
