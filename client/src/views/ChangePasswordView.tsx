import { useMemo } from 'preact/hooks';
import { createChangePasswordForm } from '../state/forms';
import { PASSWORD_MIN_LENGTH } from '../state/validation';
import { useApp } from './context';
import { useStore } from './use-store';
import { Page } from './components/Page';
import { TextField } from './components/Field';
import { FormError } from './components/FormError';
import { Alert } from './components/Alert';
import { binder } from './components/bind';

export function ChangePasswordView({ onChanged }: { onChanged: () => void }) {
  const { t, say, api, session } = useApp();
  const { me } = useStore(session);
  const forced = Boolean(me?.user.mustChangePassword);
  const logins = [me?.user.phone ?? '', me?.user.email ?? ''].filter(Boolean);
  const form = useMemo(() => createChangePasswordForm(logins), [logins.join()]);
  const state = useStore(form);
  const bind = binder(form, state, say);

  const submit = async (e: Event) => {
    e.preventDefault();
    const done = await form.submit((v) =>
      api.changePassword({ currentPassword: v.currentPassword, newPassword: v.newPassword }),
    );
    if (done) {
      session.passwordChanged();
      form.reset({ currentPassword: '', newPassword: '', confirm: '' });
      onChanged();
    }
  };

  return (
    <Page title={t('password.title')}>
      {forced ? <Alert kind="notice" title={t('password.forced')} /> : null}
      <form class="card" onSubmit={submit} noValidate>
        <FormError state={state} />
        <TextField
          {...bind('currentPassword')}
          label={forced ? t('password.oneTime') : t('password.current')}
          hint={forced ? t('password.oneTimeHint') : undefined}
          type="password"
          autoComplete="current-password"
        />
        <TextField
          {...bind('newPassword')}
          label={t('password.new')}
          hint={t('signUp.passwordPolicy', { min: PASSWORD_MIN_LENGTH })}
          type="password"
          autoComplete="new-password"
        />
        <TextField {...bind('confirm')} label={t('password.confirm')} type="password" autoComplete="new-password" />
        <button type="submit" class="block" disabled={state.submitting}>
          {state.submitting ? t('common.working') : t('password.submit')}
        </button>
      </form>
    </Page>
  );
}
