// Server-side messages in the reader's language: error sentences, e-mails, exports and the calendar
// feed read the same ICU MessageFormat catalogues as the browser client (locales/<locale>/<ns>.json).
// A key missing from a catalogue falls back to English, so a partial translation never hides text.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { match } from '@formatjs/intl-localematcher';
import { IntlMessageFormat } from 'intl-messageformat';
import { DEFAULT_LOCALE, isLocale, LOCALES, type Locale } from '../../locales/locales.ts';

export { DEFAULT_LOCALE, directionOf, isLocale, LOCALES, type Locale } from '../../locales/locales.ts';

const ROOT = join(import.meta.dirname, '../../locales');
type Catalogue = Record<string, string>;
const catalogues = new Map<string, Catalogue>(); // `${locale}/${namespace}`

function catalogue(locale: Locale, namespace: string): Catalogue {
  const id = `${locale}/${namespace}`;
  let found = catalogues.get(id);
  if (!found) {
    try {
      found = JSON.parse(readFileSync(join(ROOT, locale, `${namespace}.json`), 'utf8')) as Catalogue;
    } catch {
      found = {};
    }
    catalogues.set(id, found);
  }
  return found;
}

/** The namespaces on disk (every locale has the English ones; the catalogue test checks it). */
export const namespaces = (): string[] =>
  readdirSync(join(ROOT, DEFAULT_LOCALE))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length));

const compiled = new Map<string, IntlMessageFormat>();
const numberFormats = new Map<Locale, Intl.NumberFormat>();

export type Vars = Record<string, string | number | Date>;

/** True when the locale's (or English's) catalogue has the key. */
export const hasMessage = (locale: Locale, namespace: string, key: string): boolean =>
  key in catalogue(locale, namespace) || key in catalogue(DEFAULT_LOCALE, namespace);

/** True when the locale's own catalogue has the key (no English stand-in). */
export const hasOwnMessage = (locale: Locale, namespace: string, key: string): boolean => key in catalogue(locale, namespace);

/** The names of the values the message `namespace:key` uses, in the locale's own wording (else English's). */
export function messageArguments(locale: Locale, namespace: string, key: string): ReadonlySet<string> {
  const own = catalogue(locale, namespace)[key];
  const source = own ?? catalogue(DEFAULT_LOCALE, namespace)[key];
  if (source === undefined || !source.includes('{')) return new Set();
  const lang = own === undefined ? DEFAULT_LOCALE : locale;
  const id = `${lang}/${namespace}/${key}`;
  let format = compiled.get(id);
  if (!format) {
    format = new IntlMessageFormat(source, lang, undefined, { ignoreTag: true });
    compiled.set(id, format);
  }
  return argumentsOf(format).all;
}

/**
 * The message `namespace:key` in `locale`, its {placeholders} filled. Numbers given to a plain
 * {placeholder} are written for the locale (plural and number arguments format themselves).
 */
export function translate(locale: Locale, namespace: string, key: string, vars: Vars = {}): string {
  const own = catalogue(locale, namespace)[key];
  const source = own ?? catalogue(DEFAULT_LOCALE, namespace)[key];
  if (source === undefined) return key;
  const lang = own === undefined ? DEFAULT_LOCALE : locale;
  if (!source.includes('{')) return source;
  const id = `${lang}/${namespace}/${key}`;
  let format = compiled.get(id);
  if (!format) {
    format = new IntlMessageFormat(source, lang, undefined, { ignoreTag: true });
    compiled.set(id, format);
  }
  let nf = numberFormats.get(lang);
  if (!nf) {
    nf = new Intl.NumberFormat(lang);
    numberFormats.set(lang, nf);
  }
  const { all, numeric } = argumentsOf(format);
  const values: Record<string, string | number | Date> = {};
  // A value the caller did not give shows as its {placeholder}, as a sign, never as an exception.
  for (const name of all) values[name] = `{${name}}`;
  for (const [name, value] of Object.entries(vars)) values[name] = typeof value === 'number' && !numeric.has(name) ? nf.format(value) : value;
  return String(format.format(values));
}

// Every argument of a message, and those it selects on or formats as numbers (they must stay numbers).
const argumentCache = new WeakMap<IntlMessageFormat, { all: Set<string>; numeric: Set<string> }>();
function argumentsOf(format: IntlMessageFormat): { all: Set<string>; numeric: Set<string> } {
  let found = argumentCache.get(format);
  if (!found) {
    const all = new Set<string>();
    const numeric = new Set<string>();
    const walk = (elements: ReturnType<IntlMessageFormat['getAst']>) => {
      for (const el of elements as Array<{ type: number; value?: string; options?: Record<string, { value: typeof elements }> }>) {
        // Element types: 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural.
        if (el.type >= 1 && el.type <= 6 && el.value) all.add(el.value);
        if ((el.type === 2 || el.type === 6) && el.value) numeric.add(el.value);
        if (el.options) for (const option of Object.values(el.options)) walk(option.value);
      }
    };
    walk(format.getAst());
    found = { all, numeric };
    argumentCache.set(format, found);
  }
  return found;
}

/** A translator bound to a locale and namespace. */
export const translator =
  (locale: Locale, namespace: string) =>
  (key: string, vars?: Vars): string =>
    translate(locale, namespace, key, vars);

/**
 * The caller's language: their own setting when signed in, else the best match of the
 * Accept-Language header among the six, else English.
 */
export function negotiateLocale(acceptLanguage: string | undefined, userLocale?: string | null): Locale {
  if (isLocale(userLocale)) return userLocale;
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const requested = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag?.trim() ?? '', q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((r) => r.tag && r.tag !== '*' && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((r) => r.tag);
  if (!requested.length) return DEFAULT_LOCALE;
  try {
    const found = match(requested, LOCALES as unknown as string[], DEFAULT_LOCALE, { algorithm: 'lookup' });
    return isLocale(found) ? found : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE; // a malformed tag: never an error for the caller
  }
}

/** An instant for a reader: in their zone, with UTC beside it when the zone is not UTC. */
export function formatInstant(locale: Locale, instant: Date | string, timeZone = 'UTC'): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  const utc = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC', timeZoneName: 'short' }).format(date);
  if (timeZone === 'UTC') return utc;
  const local = new Intl.DateTimeFormat(locale, { ...options, timeZone, timeZoneName: 'short' }).format(date);
  return `${local} (${utc})`;
}
