import { describe, expect, it } from 'vitest';
import { ar } from '../../../client/src/i18n/ar.ts';
import { en } from '../../../client/src/i18n/en.ts';
import { fr } from '../../../client/src/i18n/fr.ts';
import { directionOf, formatCountdown, formatInstant, translate } from '../../../client/src/i18n/translate.ts';

describe('client i18n', () => {
  it('has every English key in French, with the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const placeholders = (m: unknown) =>
        JSON.stringify(m)
          .match(/\{\w+\}/g)
          ?.sort() ?? [];
      expect(fr[key], key).toBeDefined();
      expect(new Set(placeholders(fr[key])), key).toEqual(new Set(placeholders(en[key])));
    }
  });

  it('covers the interface chrome in Arabic and lays it out right to left', () => {
    const chrome = Object.keys(en).filter(
      (k) => /^(app|a11y|nav|lang|common|role|signIn)\./.test(k) && k !== 'signIn.sent' && k !== 'signIn.again' && k !== 'signIn.emailHint',
    );
    expect(chrome.filter((k) => !(k in ar))).toEqual([]);
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('fr')).toBe('ltr');
  });

  it("chooses plural forms by the locale's rules and formats the number for it", () => {
    expect(translate('en', 'group.memberCount', { count: 1 })).toBe('1 member');
    expect(translate('en', 'group.memberCount', { count: 1200 })).toBe('1,200 members');
    expect(translate('fr', 'group.memberCount', { count: 0 })).toBe('0 membre');
    expect(translate('fr', 'group.memberCount', { count: 1200 })).toBe('1\u202f200 membres');
    expect(translate('ar', 'group.memberCount', { count: 2 })).toBe('عضوان');
  });

  it('falls back to English for a key the Arabic catalogue lacks', () => {
    expect(translate('ar', 'invite.keptForCorrection')).toBe(en['invite.keptForCorrection']);
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
