import { I18nStore, translate, type KeyValueStorage } from '../../client/src/i18n';
import { zhCN } from '../../client/src/i18n/zh-CN';
import { en } from '../../client/src/i18n/en';

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

describe('i18n', () => {
  it('starts in Chinese when nothing was chosen before', () => {
    const i18n = new I18nStore(memoryStorage());
    expect(i18n.state.locale).toBe('zh-CN');
    expect(i18n.t('org.status.pending')).toBe('待审核');
  });

  it('remembers the switch to English for the next visit', () => {
    const storage = memoryStorage();
    new I18nStore(storage).toggle();
    const next = new I18nStore(storage);
    expect(next.state.locale).toBe('en');
    expect(next.t('org.status.verified')).toBe('Verified');
  });

  it('tells subscribers when the language changes, and only then', () => {
    const i18n = new I18nStore(memoryStorage());
    const seen: string[] = [];
    i18n.subscribe(() => seen.push(i18n.state.locale));
    i18n.setLocale('zh-CN');
    i18n.setLocale('en');
    expect(seen).toEqual(['en']);
  });

  it('still works when storage is unavailable (private browsing)', () => {
    const broken: KeyValueStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    const i18n = new I18nStore(broken);
    i18n.setLocale('en');
    expect(i18n.state.locale).toBe('en');
  });

  it('fills in parameters and leaves unknown ones visible', () => {
    expect(translate('zh-CN', 'validation.creditCodeLength', { n: 17 })).toBe('应为 18 位，现在是 17 位');
    expect(translate('en', 'org.banner.reason', {})).toBe('Reason: {reason}');
  });

  it('has an English text for every Chinese one, none left empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const [k, v] of Object.entries(en)) expect([k, v.trim().length > 0]).toEqual([k, true]);
  });
});
