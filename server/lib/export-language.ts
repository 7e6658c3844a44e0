// Exports and feeds are written in their group's main language (Group.languages[0]): a disposition
// table, a calendar or a results table is read by the whole group, whoever downloaded it. Their
// fixed words (column headings, labels, outcomes) come from locales/<locale>/exports.json.
import { DEFAULT_LOCALE, isLocale, translator, type Locale, type Vars } from './i18n.ts';

/** The group's main language; English when it names none of the six. */
export function mainLanguage(languages: readonly string[] | null | undefined): Locale {
  const main = languages?.[0];
  return isLocale(main) ? main : DEFAULT_LOCALE;
}

export type ExportText = (key: string, vars?: Vars) => string;

const texts = new Map<Locale, ExportText>();
/** The exports' words in `locale`. */
export function exportText(locale: Locale = DEFAULT_LOCALE): ExportText {
  let t = texts.get(locale);
  if (!t) {
    t = translator(locale, 'exports');
    texts.set(locale, t);
  }
  return t;
}

/** "Group:" in the language's own punctuation ("Groupe :", "组："). */
export const labelText = (t: ExportText, key: string) => t('label', { label: t(key) });
