// The i18n context for components: the current locale, its direction, t() and setLocale().
// Translation and formatting themselves live in translate.ts.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { loadApiErrors, registerTranslator } from './api-errors.ts';
import { translateIsolated } from './isolate.ts';
import { directionOf, translate, type AnyMessageKey, type Locale, type Vars } from './translate.ts';

export * from './translate.ts';

export interface I18n {
  locale: Locale;
  dir: 'rtl' | 'ltr';
  t: (key: AnyMessageKey, vars?: Vars) => string;
  /**
   * t() for a sentence shown on the page with user text in it: each text value (a name, a group, a
   * title) comes inside its own <bdi>, so an Arabic name keeps its order in an English sentence and a
   * Latin one in an Arabic sentence, and neither reorders the interface words around it.
   */
  tb: (key: AnyMessageKey, vars: Vars) => ReactNode;
  setLocale: (locale: Locale) => void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ locale, setLocale, children }: { locale: Locale; setLocale: (l: Locale) => void; children: ReactNode }) {
  // The server's error sentences in this language load with it; when they arrive the context
  // changes, so an error already on screen is shown again in the reader's language.
  const [errorsLoaded, setErrorsLoaded] = useState(0);
  useEffect(() => {
    let live = true;
    loadApiErrors(locale).then(
      (added) => {
        if (live && added) setErrorsLoaded((n) => n + 1);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [locale]);
  const value = useMemo<I18n>(() => {
    const t: I18n['t'] = (key, vars) => translate(locale, key, vars);
    registerTranslator(t, locale); // errorMessage(error, t) finds the language of t()
    return { locale, dir: directionOf(locale), setLocale, t, tb: (key, vars) => translateIsolated(locale, key, vars) };
  }, [locale, setLocale, errorsLoaded]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
