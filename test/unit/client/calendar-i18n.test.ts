import { describe, expect, it } from 'vitest';
import { calendarAr } from '../../../client/src/i18n/calendar/ar.ts';
import { calendarEn } from '../../../client/src/i18n/calendar/en.ts';
import { calendarFr } from '../../../client/src/i18n/calendar/fr.ts';
import { calendarText } from '../../../client/src/i18n/calendar/index.ts';
import { translate } from '../../../client/src/i18n/translate.ts';

const placeholders = (m: unknown) => new Set(JSON.stringify(m).match(/\{\w+\}/g) ?? []);

describe('calendar subscription strings', () => {
  it('are complete in French and Arabic, with the same placeholders as English', () => {
    for (const key of Object.keys(calendarEn) as (keyof typeof calendarEn)[]) {
      expect(calendarFr[key], key).toBeDefined();
      expect(calendarAr[key], key).toBeDefined();
      expect(placeholders(calendarFr[key]), key).toEqual(placeholders(calendarEn[key]));
      expect(placeholders(calendarAr[key]), key).toEqual(placeholders(calendarEn[key]));
    }
  });

  it('join the catalogues t() reads, in each language', () => {
    const t = (locale: 'en' | 'fr' | 'ar') => calendarText((key, vars) => translate(locale, key, vars));
    expect(t('en')('cal.subscribe')).toBe('Subscribe to the timeframe calendar');
    expect(t('fr')('cal.existing', { date: '25 avr. 2016' })).toContain('émis le 25 avr. 2016');
    expect(t('ar')('cal.revoke')).toBe('إيقاف الاشتراك');
  });
});
