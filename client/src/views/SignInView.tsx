import { useMemo } from 'preact/hooks';
import { createSignInForm, signInRequest } from '../state/forms';
import { hrefFor } from '../state/router';
import { useApp } from './context';
import { useStore } from './use-store';
import { Page } from './components/Page';
import { TextField } from './components/Field';
import { FormError } from './components/FormError';
import { Alert } from './components/Alert';
import { binder } from './components/bind';

export function SignInView({ onSignedIn }: { onSignedIn: () => void }) {
  const { t, say, api, session } = useApp();
  const form = useMemo(createSignInForm, []);
  const state = useStore(form);
  const { endedReason } = useStore(session);
  const bind = binder(form, state, say);

  const submit = async (e: Event) => {
    e.preventDefault();
    const signedIn = await form.submit(async (v) => {
      const r = await api.signIn(signInRequest(v));
      return r.ok ? session.afterSignIn() : r;
    });
    if (signedIn) onSignedIn();
  };

  return (
    <Page title={t('signIn.title')}>
      {endedReason ? <Alert kind="error" title={t(`session.ended.${endedReason}`)} /> : null}
      <form class="card" onSubmit={submit} noValidate>
        <FormError state={state} />
        <TextField
          {...bind('login')}
          label={t('signIn.identifier')}
          hint={t('signIn.identifierHint')}
          autoComplete="username"
          inputMode="email"
        />
        <TextField {...bind('password')} label={t('signIn.password')} type="password" autoComplete="current-password" />
        <button type="submit" class="block" disabled={state.submitting}>
          {state.submitting ? t('common.working') : t('signIn.submit')}
        </button>
      </form>
      <p class="muted">{t('signIn.forgot')}</p>
      <p class="footer-links">
        {t('signIn.noAccount')} <a href={hrefFor('signUp')}>{t('signIn.toSignUp')}</a>
      </p>
    </Page>
  );
}
