// The client's reading of the ICU MessageFormat catalogues (locales/<locale>/<namespace>.json):
// loading, plurals, placeholders, fallbacks, the pseudo-locale, the browser's language.
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../../../locales/en/core.json' with { type: 'json' };
import {
  browserLocale,
  directionOf,
  formatCountdown,
  formatInstant,
  getMessages,
  loadNamespaces,
  setPseudo,
  translate,
} from '../../../client/src/i18n/translate.ts';
import { pseudoMessage, pseudoText } from '../../../client/src/i18n/pseudo.ts';

beforeAll(() =>
  Promise.all([loadNamespaces('en', ['core', 'documents']), loadNamespaces('fr', ['core', 'documents']), loadNamespaces('ar', ['core', 'documents'])]),
);

describe('client i18n', () => {
  it('lays Arabic out right to left', () => {
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('fr')).toBe('ltr');
  });

  it('shows the key itself for a key no catalogue has, and {name} for a value not given', () => {
    expect(translate('fr', 'no.such.key' as 'nav.signOut')).toBe('no.such.key');
    expect(translate('en', 'nav.signedInAs')).toBe('Signed in as {name}');
  });

  it('finds the strings of a lazily loaded namespace once it has loaded, and keeps the loaded languages apart', () => {
    expect(translate('fr', 'doc.commentCount', { count: 2 })).toBe('2 commentaires');
    expect(getMessages('fr', 'documents')?.['doc.commentCount']).toBeDefined();
    expect(getMessages('zh', 'documents')).toBeUndefined(); // never asked for: never downloaded
  });

  it("takes the browser's first language we speak, by its language subtag", () => {
    expect(browserLocale(['de-CH', 'zh-TW', 'en'])).toBe('zh');
    expect(browserLocale(['es-419'])).toBe('es');
    expect(browserLocale(['ru-RU', 'fr'])).toBe('ru');
    expect(browserLocale(['de', 'not a tag'])).toBe('en');
  });

  it('makes the pseudo-locale from English: accented, longer, bracketed, placeholders and plurals intact', async () => {
    expect(pseudoText('Sign in')).toBe('Šííĝñ ííñ');
    const english = 'Add a comment to this clause';
    expect(pseudoText(english).length).toBeGreaterThanOrEqual(Math.round(english.length * 1.25));
    expect(pseudoText(english)).not.toMatch(/[A-Za-z]/);
    expect(pseudoMessage('{count, plural, one {# member} other {# members}}')[0]).toEqual({ type: 0, value: '[' });
    setPseudo(true);
    try {
      await loadNamespaces('en', ['core']);
      expect(translate('en', 'group.memberCount', { count: 1200 })).toBe(`[1,200 ${pseudoText('members')}]`);
      expect(translate('en', 'nav.signedInAs', { name: 'Alice' })).toBe(`[${pseudoText('Signed in as ')}Alice]`);
    } finally {
      setPseudo(false);
    }
  });

  it("chooses plural forms by the locale's rules and formats the number for it", () => {
    expect(translate('en', 'group.memberCount', { count: 1 })).toBe('1 member');
    expect(translate('en', 'group.memberCount', { count: 1200 })).toBe('1,200 members');
    expect(translate('fr', 'group.memberCount', { count: 0 })).toBe('0 membre');
    expect(translate('fr', 'group.memberCount', { count: 1200 })).toBe('1\u202f200 membres');
    expect(translate('ar', 'group.memberCount', { count: 2 })).toBe('عضوان');
  });

  it('falls back to English for a key a catalogue lacks, with English plural rules', async () => {
    const missing = Object.keys(en).find((key) => !(key in (getMessages('ar', 'core') ?? {}))) as keyof typeof en | undefined;
    if (missing) expect(translate('ar', missing, { count: 1, name: 'x' })).toBe(translate('en', missing, { count: 1, name: 'x' }));
    expect(getMessages('ar', 'core')).toBeDefined();
  });

  it("writes a countdown in the locale's units, from the largest non-zero one", () => {
    const ms = ((2 * 24 + 4) * 3600 + 59 * 60 + 5) * 1000;
    expect(formatCountdown('en', ms)).toBe('2 days, 4 hr, 59 min, 5 sec');
    expect(formatCountdown('en', 65_000)).toBe('1 min, 5 sec');
    expect(formatCountdown('en', -5)).toBe('0 sec');
    expect(formatCountdown('fr', ms)).toMatch(/^2\sj,?\s4\sh/u);
  });

  it("shows an ITU deadline in the viewer's zone and in UTC", () => {
    const iso = '2016-04-25T23:59:00Z';
    expect(formatInstant('en', iso, 'UTC')).toBe('Mon, Apr 25, 2016, 11:59 PM');
    expect(formatInstant('en', iso, 'Europe/Zurich')).toBe('Tue, Apr 26, 2016, 01:59 AM GMT+2');
    expect(formatInstant('fr', iso, 'Europe/Zurich')).toBe('mar. 26 avr. 2016, 01:59 UTC+2');
  });
});
