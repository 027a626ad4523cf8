import { useMemo } from 'preact/hooks';
import { SIGNUP_KINDS } from '../state/constants';
import { createSignUpForm, needsContactPhone, signUpRequest } from '../state/forms';
import { creditCodeFeedback, normaliseCreditCode, PASSWORD_MIN_LENGTH } from '../state/validation';
import { hrefFor } from '../state/router';
import { useApp } from './context';
import { useStore } from './use-store';
import { Page } from './components/Page';
import { TextField } from './components/Field';
import { FormError } from './components/FormError';
import { binder } from './components/bind';

export function SignUpView({ onSignedUp }: { onSignedUp: () => void }) {
  const { t, say, api, session, locale } = useApp();
  const form = useMemo(createSignUpForm, []);
  const state = useStore(form);
  const bind = binder(form, state, say);
  const credit = creditCodeFeedback(state.values['organisation.creditCode'], false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const done = await form.submit((v) => api.signUp(signUpRequest(v, locale)));
    if (done) {
      session.signedUp(done.data);
      onSignedUp();
    } else {
      // Take the person to the first problem.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
    }
  };

  return (
    <Page title={t('signUp.title')}>
      <p>{t('signUp.intro')}</p>
      <form onSubmit={submit} noValidate>
        <FormError state={state} />
        <fieldset class="card">
          <legend>{t('signUp.kind')}</legend>
          {SIGNUP_KINDS.map((kind) => (
            <label class="choice" key={kind}>
              <input
                type="radio"
                name="kind"
                value={kind}
                checked={state.values.kind === kind}
                onChange={() => form.set('kind', kind)}
              />
              {t(`kind.${kind}`)}
            </label>
          ))}
        </fieldset>

        <fieldset class="card">
          <legend>{t('signUp.orgSection')}</legend>
          <TextField
            {...bind('organisation.name')}
            label={t('signUp.orgName')}
            hint={t('signUp.orgNameHint')}
            autoComplete="organization"
          />
          <TextField
            {...bind('organisation.creditCode')}
            onValue={(v) => form.set('organisation.creditCode', v.toUpperCase())}
            label={t('signUp.creditCode')}
            hint={t('signUp.creditCodeHint')}
            okay={credit.state === 'ok' ? t('signUp.creditCodeOk') : undefined}
            status={
              credit.state === 'typing'
                ? t('signUp.creditCodeCount', {
                    n: normaliseCreditCode(state.values['organisation.creditCode']).length,
                  })
                : undefined
            }
            class="mono"
            autoCapitalize="characters"
            autoComplete="off"
            spellcheck={false}
            maxLength={24}
          />
          <div class="legend">{t('signUp.address')}</div>
          <div class="grid2">
            <TextField
              {...bind('organisation.address.province')}
              label={t('signUp.province')}
              autoComplete="address-level1"
            />
            <TextField {...bind('organisation.address.city')} label={t('signUp.city')} autoComplete="address-level2" />
          </div>
          <TextField
            {...bind('organisation.address.county')}
            label={t('signUp.county')}
            autoComplete="address-level3"
          />
          <TextField
            {...bind('organisation.address.township')}
            label={t('signUp.township')}
            optional
            autoComplete="address-level4"
          />
          <TextField
            {...bind('organisation.address.village')}
            label={t('signUp.village')}
            optional
            autoComplete="street-address"
          />
        </fieldset>

        <fieldset class="card">
          <legend>{t('signUp.personSection')}</legend>
          <TextField {...bind('user.displayName')} label={t('signUp.displayName')} autoComplete="name" />
          <p class="hint muted">{t('signUp.contactHint')}</p>
          <TextField
            {...bind('user.phone')}
            label={t('signUp.phone')}
            hint={t('signUp.phoneHint')}
            type="tel"
            inputMode="numeric"
            autoComplete="tel"
            optional
          />
          <TextField
            {...bind('user.email')}
            label={t('signUp.email')}
            hint={t('signUp.emailHint')}
            type="email"
            autoComplete="email"
            optional
          />
          {needsContactPhone(state.values) ? (
            <TextField
              {...bind('organisation.contactPhone')}
              label={t('signUp.contactPhone')}
              hint={t('signUp.contactPhoneHint')}
              type="tel"
              inputMode="numeric"
              autoComplete="tel"
            />
          ) : null}
          <TextField
            {...bind('user.password')}
            label={t('signUp.password')}
            hint={t('signUp.passwordPolicy', { min: PASSWORD_MIN_LENGTH })}
            type="password"
            autoComplete="new-password"
          />
        </fieldset>

        <button type="submit" class="block" disabled={state.submitting}>
          {state.submitting ? t('common.working') : t('signUp.submit')}
        </button>
      </form>
      <p class="footer-links">
        {t('signUp.haveAccount')} <a href={hrefFor('signIn')}>{t('signUp.toSignIn')}</a>
      </p>
    </Page>
  );
}
