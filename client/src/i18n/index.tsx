// The i18n context for components: the current locale, its direction, t() and setLocale().
// Translation, catalogue loading and formatting themselves live in translate.ts.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { registerTranslator } from './api-errors.ts';
import { translateIsolated } from './isolate.ts';
import {
  directionOf,
  isLoaded,
  isPseudo,
  loadNamespaces,
  onCatalogue,
  PSEUDO_LOCALE,
  setCurrentLocale,
  translate,
  type AnyMessageKey,
  type Locale,
  type Vars,
} from './translate.ts';

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

/**
 * `locale` is the language asked for; the page keeps showing the previous one until the new
 * one's catalogues (every namespace the screens loaded so far need) have arrived, so a change of
 * language never shows keys or a mix of languages.
 */
export function I18nProvider({ locale: asked, setLocale, children }: { locale: Locale; setLocale: (l: Locale) => void; children: ReactNode }) {
  // The pseudo-locale is English underneath: its dates, numbers and plurals are English ones.
  const locale: Locale = isPseudo() ? 'en' : asked;
  const [shown, setShown] = useState<Locale>(locale);
  // A catalogue that arrives later (a lazy screen's, the error sentences) shows at once.
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const stop = onCatalogue(() => setVersion((n) => n + 1));
    return () => {
      stop();
    };
  }, []);
  useEffect(() => {
    let live = true;
    if (isLoaded(locale)) setShown(locale);
    loadNamespaces(locale).then(
      () => {
        if (live) setShown(locale);
      },
      () => {
        if (live) setShown(locale); // offline: English fills what is missing
      },
    );
    // The server's error sentences in the reader's language, loaded beside (English readers get
    // the server's own sentence).
    if (locale !== 'en') void loadNamespaces(locale, ['errors']).catch(() => {});
    return () => {
      live = false;
    };
  }, [locale]);
  setCurrentLocale(shown); // lazy screens evaluated from now on load their strings in this language
  useEffect(() => {
    // A namespace a screen asked for while the language was changing arrives now (then re-renders).
    void loadNamespaces(shown).catch(() => {});
    // Set only when it changes (index.html starts with lang="en" dir="ltr"): either restyles the page.
    const root = document.documentElement;
    const lang = isPseudo() ? PSEUDO_LOCALE : shown;
    if (root.lang !== lang) root.lang = lang;
    if (root.dir !== directionOf(shown)) root.dir = directionOf(shown);
  }, [shown]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version changes when a catalogue arrives; t() reads it
  const value = useMemo<I18n>(() => {
    const t: I18n['t'] = (key, vars) => translate(shown, key, vars);
    registerTranslator(t, shown); // errorMessage(error, t) finds the language of t()
    return { locale: shown, dir: directionOf(shown), setLocale, t, tb: (key, vars) => translateIsolated(shown, key, vars) };
  }, [shown, setLocale, version]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
