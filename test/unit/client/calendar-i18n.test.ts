import { beforeAll, describe, expect, it } from 'vitest';
import { calendarText } from '../../../client/src/i18n/calendar/index.ts';
import { catalogueReady, loadNamespaces, translate } from '../../../client/src/i18n/translate.ts';

beforeAll(async () => {
  await catalogueReady();
  await Promise.all([loadNamespaces('fr', ['calendar']), loadNamespaces('ar', ['calendar'])]);
});

describe('calendar subscription strings', () => {
  it('join the catalogues t() reads, in each language', () => {
    const t = (locale: 'en' | 'fr' | 'ar') => calendarText((key, vars) => translate(locale, key, vars));
    expect(t('en')('cal.subscribe')).toBe('Subscribe to the timeframe calendar');
    expect(t('fr')('cal.existing', { date: '25 avr. 2016' })).toContain('émis le 25 avr. 2016');
    expect(t('ar')('cal.revoke')).toBe('إيقاف الاشتراك');
  });
});
