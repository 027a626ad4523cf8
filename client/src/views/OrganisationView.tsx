import { useEffect } from 'preact/hooks';
import { formatDateTime } from '../state/format';
import { useApp } from './context';
import { useStore } from './use-store';
import { Page } from './components/Page';
import { VerificationBanner } from './components/VerificationBanner';
import { addressText } from './components/address-text';
import { ColleaguesSection } from './ColleaguesSection';
import { TokensSection } from './TokensSection';
import { OrganisationLocationSection } from './OrganisationLocationSection';

export function OrganisationView() {
  const { t, session, organisation: orgStore } = useApp();
  const { me, verificationChangedLive } = useStore(session);

  useEffect(() => {
    void orgStore.loadMembers();
    if (me && me.organisation.kind !== 'farm') void orgStore.loadTokens();
  }, [me?.user.id]);

  if (!me) return null;
  const org = me.organisation;
  return (
    <Page title={t('org.title')}>
      {org.kind === 'chamber' ? null : <VerificationBanner organisation={org} live={verificationChangedLive} />}
      <section class="card" aria-labelledby="org-details">
        <h2 id="org-details">{org.name}</h2>
        <dl class="details">
          <dt>{t('org.kind')}</dt>
          <dd>{t(`kind.short.${org.kind}`)}</dd>
          <dt>{t('org.creditCode')}</dt>
          <dd class="mono">{org.creditCode}</dd>
          <dt>{t('org.address')}</dt>
          <dd>{addressText(org.address)}</dd>
          <dt>{t('org.createdAt')}</dt>
          <dd>{formatDateTime(org.createdAt)}</dd>
        </dl>
      </section>
      <OrganisationLocationSection />
      <ColleaguesSection />
      {org.kind === 'farm' ? null : <TokensSection />}
    </Page>
  );
}
