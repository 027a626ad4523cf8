import { useMemo } from 'preact/hooks';
import { createTokenForm } from '../state/forms';
import { formatDateTime } from '../state/format';
import { useApp } from './context';
import { useStore } from './use-store';
import { TextField } from './components/Field';
import { FormError } from './components/FormError';
import { Alert } from './components/Alert';
import { CopyButton } from './components/CopyButton';
import { binder } from './components/bind';

const NOT_VERIFIED = {
  pending: 'errors.verificationPending',
  rejected: 'errors.verificationRejected',
  suspended: 'errors.suspended',
  verified: 'errors.verificationPending', // not shown: verified organisations get the form
} as const;

/** Personal API tokens (restaurants and chamber staff); the secret is shown once. */
export function TokensSection() {
  const { t, say, api, session, organisation } = useApp();
  const { me } = useStore(session);
  const state = useStore(organisation);
  const form = useMemo(createTokenForm, []);
  const formState = useStore(form);
  const bind = binder(form, formState, say);
  if (!me) return null;
  const verified = me.organisation.verification === 'verified';

  const create = async (e: Event) => {
    e.preventDefault();
    const done = await form.submit((v) => api.createToken({ name: v.name.trim() }));
    if (done) {
      organisation.tokenCreated(done.data.token, done.data.secret);
      form.reset({ name: '' });
    }
  };
  const revoke = (id: string, name: string) => {
    if (window.confirm(t('org.tokens.revokeConfirm', { name }))) void organisation.revokeToken(id);
  };

  return (
    <section class="card" aria-labelledby="tokens">
      <h2 id="tokens">{t('org.tokens')}</h2>
      <p class="muted">{t('org.tokens.intro')}</p>
      {state.newTokenSecret ? (
        <Alert kind="ok" title={t('org.tokens.shownOnce')}>
          <p>{state.newTokenSecret.name}</p>
          <div class="secret">
            <code id="new-token-secret" class="mono">
              {state.newTokenSecret.secret}
            </code>
            <CopyButton text={state.newTokenSecret.secret} targetId="new-token-secret" />
          </div>
        </Alert>
      ) : null}
      {state.tokens === null ? (
        <p class="muted">{t('app.loading')}</p>
      ) : state.tokens.length === 0 ? (
        <p>{t('org.tokens.empty')}</p>
      ) : (
        <ul class="plain">
          {state.tokens.map((tok) => (
            <li key={tok.id}>
              <span>
                <strong>{tok.name}</strong> <span class="mono muted">{tok.prefix}…</span>
                <br />
                <span class="muted">
                  {t('org.tokens.createdAt')} {formatDateTime(tok.createdAt)} · {t('org.tokens.lastUsed')}{' '}
                  {tok.lastUsedAt ? formatDateTime(tok.lastUsedAt) : t('org.tokens.never')}
                </span>
              </span>
              <button
                type="button"
                class="danger"
                disabled={state.busyId === tok.id}
                onClick={() => revoke(tok.id, tok.name)}
              >
                {t('org.tokens.revoke')}
                <span class="sr-only"> {tok.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {verified ? (
        <form onSubmit={create} noValidate>
          <FormError state={formState} />
          <TextField
            {...bind('name')}
            id="token-name"
            label={t('org.tokens.name')}
            hint={t('org.tokens.nameHint')}
            autoComplete="off"
          />
          <button type="submit" disabled={formState.submitting}>
            {formState.submitting ? t('common.working') : t('org.tokens.create')}
          </button>
        </form>
      ) : (
        <p class="muted">{t(NOT_VERIFIED[me.organisation.verification])}</p>
      )}
    </section>
  );
}
