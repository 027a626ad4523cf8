import { useState } from 'preact/hooks';
import { useApp } from '../context';

/** Asks for system notifications only when the person presses it (never on load); hidden where unsupported or refused. */
export function NotifyButton() {
  const { t } = useApp();
  const supported = typeof Notification !== 'undefined';
  const [permission, setPermission] = useState(supported ? Notification.permission : 'denied');
  if (!supported || permission === 'denied') return null;
  if (permission === 'granted') return <span class="muted">{t('market.notify.on')}</span>;
  return (
    <button type="button" class="chip" onClick={() => void Notification.requestPermission().then(setPermission)}>
      {t('market.notify.enable')}
    </button>
  );
}
