// The i18n context for components: the current locale, its direction, t() and setLocale().
// Translation and formatting themselves live in translate.ts.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { directionOf, translate, type AnyMessageKey, type Locale, type Vars } from './translate.ts';

export * from './translate.ts';

export interface I18n {
  locale: Locale;
  dir: 'rtl' | 'ltr';
  t: (key: AnyMessageKey, vars?: Vars) => string;
  setLocale: (locale: Locale) => void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ locale, setLocale, children }: { locale: Locale; setLocale: (l: Locale) => void; children: ReactNode }) {
  const value = useMemo<I18n>(() => ({
    locale, dir: directionOf(locale), setLocale,
    t: (key, vars) => translate(locale, key, vars),
  }), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

