// The six UN languages Convene speaks, shared by the browser client, the server's error sentences,
// the e-mails and the exports. Catalogues live beside this file: locales/<locale>/<namespace>.json,
// each value an ICU MessageFormat string (https://unicode-org.github.io/icu/userguide/format_parse/messages/),
// read with FormatJS's intl-messageformat. English (en) is the reference every other catalogue
// must match key for key, placeholder for placeholder (test/unit/i18n/catalogues.test.ts).
export const LOCALES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language named in itself (never translated). */
export const LOCALE_NAMES: Record<Locale, string> = {
  ar: 'العربية',
  zh: '中文',
  en: 'English',
  fr: 'Français',
  ru: 'Русский',
  es: 'Español',
};

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
export const directionOf = (locale: string): 'rtl' | 'ltr' => (locale === 'ar' ? 'rtl' : 'ltr');
