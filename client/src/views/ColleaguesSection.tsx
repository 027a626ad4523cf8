import { useMemo } from 'preact/hooks';
import { USER_ROLES } from '../state/constants';
import { addMemberRequest, createAddMemberForm } from '../state/forms';
import { failureTitle } from '../state/form';
import { useApp } from './context';
import { useStore } from './use-store';
import { TextField, Field } from './components/Field';
import { FormError } from './components/FormError';
import { Alert } from './components/Alert';
import { CopyButton } from './components/CopyButton';
import { binder } from './components/bind';

export function ColleaguesSection() {
  const { t, say, api, locale, session, organisation } = useApp();
  const { me } = useStore(session);
  const state = useStore(organisation);
  const form = useMemo(createAddMemberForm, []);
  const formState = useStore(form);
  const bind = binder(form, formState, say);
  if (!me) return null;
  const canManage = me.organisation.kind === 'chamber' ? me.user.isAdmin : me.user.role === 'manager';

  const add = async (e: Event) => {
    e.preventDefault();
    const done = await form.submit((v) => api.addMember(addMemberRequest(v, locale)));
    if (done) {
      organisation.memberAdded(done.data.user, done.data.oneTimePassword);
      form.reset({ displayName: '', phone: '', email: '', role: 'member' });
    }
  };
  const remove = (id: string, name: string) => {
    if (window.confirm(t('org.colleague.removeConfirm', { name }))) void organisation.removeMember(id);
  };

  return (
    <section class="card" aria-labelledby="colleagues">
      <h2 id="colleagues">{t('org.colleagues')}</h2>
      {state.error && !state.newTokenSecret ? (
        <Alert kind="error" title={say(failureTitle(state.error).title)} />
      ) : null}
      {state.members === null ? (
        <p class="muted">{t('app.loading')}</p>
      ) : (
        <ul class="plain">
          {state.members.map((m) => (
            <li key={m.id}>
              <span>
                <strong>{m.displayName}</strong>
                {m.id === me.user.id ? ` ${t('org.colleague.you')}` : ''}
                <br />
                <span class="muted">{[m.phone, m.email].filter(Boolean).join(' · ')}</span>
              </span>
              <span class="actions">
                <span class="badge">{t(`org.role.${m.role}`)}</span>
                {canManage && m.id !== me.user.id ? (
                  <button
                    type="button"
                    class="secondary"
                    disabled={state.busyId === m.id}
                    onClick={() => void organisation.setRole(m.id, m.role === 'manager' ? 'member' : 'manager')}
                  >
                    {m.role === 'manager' ? t('org.colleague.makeMember') : t('org.colleague.makeManager')}
                    <span class="sr-only"> {m.displayName}</span>
                  </button>
                ) : null}
                {canManage && m.id !== me.user.id ? (
                  <button
                    type="button"
                    class="danger"
                    disabled={state.busyId === m.id}
                    onClick={() => remove(m.id, m.displayName)}
                  >
                    {t('common.remove')}
                    <span class="sr-only"> {m.displayName}</span>
                  </button>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      )}
      {state.newMember ? (
        <Alert kind="ok" title={t('org.colleague.added', { name: state.newMember.displayName })}>
          <div class="secret">
            <code id="new-member-otp" class="mono">
              {state.newMember.oneTimePassword}
            </code>
            <CopyButton text={state.newMember.oneTimePassword} targetId="new-member-otp" />
          </div>
        </Alert>
      ) : null}
      {canManage ? (
        <details>
          <summary>{t('org.colleague.add')}</summary>
          <form onSubmit={add} noValidate>
            <p class="muted">{t('org.colleague.addIntro')}</p>
            <FormError state={formState} />
            <TextField
              {...bind('displayName')}
              id="member-displayName"
              label={t('org.colleague.name')}
              autoComplete="off"
            />
            <TextField
              {...bind('phone')}
              id="member-phone"
              label={t('signUp.phone')}
              hint={t('org.colleague.contactHint')}
              type="tel"
              inputMode="numeric"
              optional
              autoComplete="off"
            />
            <TextField
              {...bind('email')}
              id="member-email"
              label={t('signUp.email')}
              type="email"
              optional
              autoComplete="off"
            />
            <Field id="member-role" label={t('org.colleague.role')}>
              <select
                id="member-role"
                value={formState.values.role}
                onChange={(e) => form.set('role', e.currentTarget.value)}
              >
                {USER_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`org.role.${r}`)}
                  </option>
                ))}
              </select>
            </Field>
            <button type="submit" disabled={formState.submitting}>
              {formState.submitting ? t('common.working') : t('org.colleague.submit')}
            </button>
          </form>
        </details>
      ) : (
        <p class="muted">{t('org.colleague.onlyManagers')}</p>
      )}
    </section>
  );
}
