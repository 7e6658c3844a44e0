/// <reference types="vite/client" />
// A small i18n layer over Intl and FormatJS's intl-messageformat, without React: message keys typed
// from the English catalogues (locales/en/*.json), ICU MessageFormat messages (placeholders, CLDR
// plurals, selects), and locale-aware dates, times, numbers and durations.
//
// The catalogues are JSON files, one per language and namespace (locales/<locale>/<namespace>.json),
// shared with the server and the e-mails. Only the reader's language is downloaded, one namespace at
// a time, when a screen needs it: `core` before the first screen, a lazily loaded screen's own
// namespaces with its code (see requireNamespace). The build fills the keys a catalogue lacks with
// English (client/vite.config.ts), so a partial translation never shows a key and never costs a
// second download; without the build (unit tests) English is loaded beside it for the same effect.
import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { DEFAULT_LOCALE, directionOf, isLocale, LOCALE_NAMES, LOCALES, type Locale } from '../../../locales/locales.ts';
import type adjudication from '../../../locales/en/adjudication.json';
import type calendar from '../../../locales/en/calendar.json';
import type core from '../../../locales/en/core.json';
import type documents from '../../../locales/en/documents.json';
import type errors from '../../../locales/en/errors.json';
import type interchange from '../../../locales/en/interchange.json';
import type openConsultation from '../../../locales/en/open-consultation.json';
import type periods from '../../../locales/en/periods.json';
import type workprog from '../../../locales/en/workprog.json';

export { DEFAULT_LOCALE, directionOf, isLocale, LOCALE_NAMES, LOCALES, type Locale };

export type MessageKey = keyof typeof core & string;
export type DocumentMessageKey = keyof typeof documents & string;
export type AdjudicationMessageKey = keyof typeof adjudication & string;
export type PeriodMessageKey = keyof typeof periods & string;
export type InterchangeMessageKey = keyof typeof interchange & string;
export type OpenConsultationMessageKey = keyof typeof openConsultation & string;
export type CalendarMessageKey = keyof typeof calendar & string;
export type WorkprogMessageKey = keyof typeof workprog & string;
export type ApiErrorKey = keyof typeof errors & string;

/** Every key t() accepts: the core catalogue plus the lazily loaded screens' (calendar and work programme have their own typed t()). */
export type AnyMessageKey = MessageKey | DocumentMessageKey | AdjudicationMessageKey | PeriodMessageKey | InterchangeMessageKey | OpenConsultationMessageKey;

export const NAMESPACES = ['core', 'errors', 'documents', 'adjudication', 'calendar', 'interchange', 'open-consultation', 'periods', 'workprog'] as const;
export type Namespace = (typeof NAMESPACES)[number];

export type Vars = Record<string, string | number>;

/**
 * The pseudo-locale: English made longer and accented, in brackets (see pseudo.ts), to find
 * hard-coded and clipped text. Chosen with ?lang=en-XA; dates and numbers stay English, and the
 * server never hears of it (the profile keeps the real language).
 */
export const PSEUDO_LOCALE = 'en-XA';
type Book = Locale | typeof PSEUDO_LOCALE;
let pseudo = false;
export const setPseudo = (on: boolean) => {
  pseudo = on;
};
export const isPseudo = () => pseudo;
const bookOf = (locale: Locale): Book => (pseudo ? PSEUDO_LOCALE : locale);

type Source = string | MessageFormatElement[];
interface Loaded {
  messages: Record<string, Source>;
  /** Keys whose message is English (the catalogue lacks them): formatted with English plural rules. */
  english: Set<string>;
  namespaces: Set<Namespace>;
}
const books = new Map<Book, Loaded>();
const bookFor = (book: Book): Loaded => {
  let found = books.get(book);
  if (!found) {
    found = { messages: {}, english: new Set(), namespaces: new Set() };
    books.set(book, found);
  }
  return found;
};

// Each catalogue file is its own chunk, fetched when asked for (never bundled with the code).
const FILES = import.meta.glob<Record<string, string | string[]>>('../../../locales/*/*.json', { import: 'default' });
/** The key the build adds to a catalogue: the English keys it filled in (client/vite.config.ts). */
export const FALLBACK_KEY = '@fallback';

const loads = new Map<string, Promise<void>>();
const namespaceKeys = new Map<string, string[]>(); // `${locale}/${namespace}` → the keys of that file
const listeners = new Set<() => void>();
/** Called whenever a catalogue arrives (the i18n provider re-renders then). */
export const onCatalogue = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

function loadOne(book: Book, namespace: Namespace): Promise<void> {
  const id = `${book}/${namespace}`;
  let load = loads.get(id);
  if (!load) {
    load = fetchOne(book, namespace).then(() => {
      for (const listener of listeners) listener();
    });
    // A failed download (offline) may be tried again by the next screen that needs it.
    load.catch(() => loads.delete(id));
    loads.set(id, load);
  }
  return load;
}

async function fetchOne(book: Book, namespace: Namespace): Promise<void> {
  const target = bookFor(book);
  if (book === PSEUDO_LOCALE) {
    await loadOne(DEFAULT_LOCALE, namespace);
    const { pseudoMessage } = await import('./pseudo.ts');
    const english = bookFor(DEFAULT_LOCALE);
    for (const key of namespaceKeys.get(`${DEFAULT_LOCALE}/${namespace}`) ?? []) {
      const source = english.messages[key];
      if (source !== undefined) target.messages[key] = pseudoMessage(source);
    }
    target.namespaces.add(namespace);
    return;
  }
  const file = FILES[`../../../locales/${book}/${namespace}.json`];
  const catalogue = file ? await file() : {};
  const filled = catalogue[FALLBACK_KEY];
  const keys: string[] = [];
  for (const [key, value] of Object.entries(catalogue)) {
    if (key === FALLBACK_KEY || typeof value !== 'string') continue;
    target.messages[key] = value;
    keys.push(key);
  }
  if (Array.isArray(filled)) for (const key of filled) target.english.add(key);
  else if (book !== DEFAULT_LOCALE) {
    // Not built (unit tests, a catalogue added without a rebuild): English beside it.
    await loadOne(DEFAULT_LOCALE, namespace);
    const english = bookFor(DEFAULT_LOCALE);
    for (const key of namespaceKeys.get(`${DEFAULT_LOCALE}/${namespace}`) ?? []) {
      if (target.messages[key] === undefined && english.messages[key] !== undefined) {
        target.messages[key] = english.messages[key];
        target.english.add(key);
      }
    }
  }
  namespaceKeys.set(`${book}/${namespace}`, keys);
  target.namespaces.add(namespace);
}

/** The locale's own messages of a loaded namespace (without the English that fills its gaps). */
export function getMessages(locale: Locale, namespace: Namespace): Readonly<Record<string, unknown>> | undefined {
  const book = books.get(locale);
  const keys = namespaceKeys.get(`${locale}/${namespace}`);
  if (!book || !keys) return undefined;
  const own: Record<string, unknown> = {};
  for (const key of keys) if (!book.english.has(key)) own[key] = book.messages[key];
  return own;
}

// The namespaces the screens loaded so far need: a change of language loads them all before it shows.
const wanted = new Set<Namespace>(['core']);
let current: Locale = DEFAULT_LOCALE;
/** Loads these namespaces of the locale's catalogue (once; at once when they are there). */
export function loadNamespaces(locale: Locale, namespaces: Iterable<Namespace> = wanted): Promise<void> {
  const book = bookOf(locale);
  return Promise.all([...namespaces].map((ns) => loadOne(book, ns))).then(() => undefined);
}
/** True when every namespace the screens need is loaded for the locale. */
export const isLoaded = (locale: Locale): boolean => {
  const book = books.get(bookOf(locale));
  return !!book && [...wanted].every((ns) => book.namespaces.has(ns));
};
/** The language the client shows now (set by the i18n provider once its catalogues are in). */
export const setCurrentLocale = (locale: Locale) => {
  current = locale;
};
/**
 * Declared by a lazily loaded screen's module (i18n/<namespace>/index.ts): starts loading the
 * namespace in the current language as the module is evaluated; catalogueReady() waits for it.
 */
export function requireNamespace(namespace: Namespace): void {
  wanted.add(namespace);
  void loadNamespaces(current, [namespace]).catch(() => {});
}
/** Resolves once every catalogue asked for so far has arrived (or failed: English keys show then). */
export const catalogueReady = (): Promise<void> => Promise.allSettled([...loads.values()]).then(() => undefined);

// One IntlMessageFormat per message and language, built on first use.
const compiled = new Map<string, IntlMessageFormat>();
function compile(lang: string, id: string, source: Source): IntlMessageFormat {
  const cacheKey = `${lang}\u0000${id}`;
  let format = compiled.get(cacheKey);
  if (!format) {
    // ignoreTag: no rich-text tags in our messages, and `<address>` appears in text.
    format = new IntlMessageFormat(source, lang, undefined, { ignoreTag: true });
    compiled.set(cacheKey, format);
  }
  return format;
}

// Every argument of a message, and those it selects on or formats as numbers (they must stay numbers).
interface Arguments {
  all: Set<string>;
  numeric: Set<string>;
  selectors: Set<string>;
}
const argumentCache = new WeakMap<IntlMessageFormat, Arguments>();
export function argumentsOf(format: IntlMessageFormat): Arguments {
  let found = argumentCache.get(format);
  if (!found) {
    const args: Arguments = { all: new Set(), numeric: new Set(), selectors: new Set() };
    const walk = (elements: MessageFormatElement[]) => {
      for (const el of elements as Array<{ type: number; value?: string; options?: Record<string, { value: MessageFormatElement[] }> }>) {
        // Element types: 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural.
        if (el.type >= 1 && el.type <= 6 && el.value) args.all.add(el.value);
        if ((el.type === 2 || el.type === 6) && el.value) args.numeric.add(el.value);
        if ((el.type === 5 || el.type === 6) && el.value) args.selectors.add(el.value);
        if (el.options) for (const option of Object.values(el.options)) walk(option.value);
      }
    };
    walk(format.getAst());
    found = args;
    argumentCache.set(format, found);
  }
  return found;
}

/**
 * Formats an ICU message in `lang`: numbers given to a plain {placeholder} are written for the
 * locale (plural and number arguments format themselves); a value not given shows as its
 * {placeholder}, as a sign, never as an exception.
 */
export function formatMessage(lang: string, id: string, source: Source, vars: Vars = {}): string {
  if (typeof source === 'string' && !source.includes('{') && !source.includes("'")) return source; // most strings: nothing to run
  const format = compile(lang, id, source);
  const { all, numeric } = argumentsOf(format);
  const values: Record<string, string | number> = {};
  for (const name of all) values[name] = numeric.has(name) ? 0 : `{${name}}`;
  for (const [name, value] of Object.entries(vars)) values[name] = typeof value === 'number' && !numeric.has(name) ? formatNumber(lang, value) : value;
  return String(format.format(values));
}

/** The message in the locale (English where its catalogue lacks the key; the key itself when no catalogue has it). */
export function translate(locale: Locale, key: AnyMessageKey, vars: Vars = {}): string {
  const book = bookOf(locale);
  const loaded = books.get(book);
  let source = loaded?.messages[key];
  let lang = book === PSEUDO_LOCALE ? DEFAULT_LOCALE : locale;
  if (source === undefined || loaded?.english.has(key)) {
    source ??= books.get(DEFAULT_LOCALE)?.messages[key];
    lang = DEFAULT_LOCALE;
  }
  if (source === undefined) return key;
  return formatMessage(lang, `${book}/${key}`, source, vars);
}

/** The arguments a message selects on (select, plural): they must keep their values, not be marked up. */
export function selectorsOf(locale: Locale, key: AnyMessageKey): Set<string> {
  const book = bookOf(locale);
  const source = books.get(book)?.messages[key] ?? books.get(DEFAULT_LOCALE)?.messages[key];
  if (source === undefined || (typeof source === 'string' && !source.includes('{'))) return new Set();
  return argumentsOf(compile(DEFAULT_LOCALE, `${book}/${key}`, source)).selectors;
}

/**
 * User text (a name, a group, a title) inside a sentence shown as a plain string (a confirm()
 * dialog), between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, the text form of <bdi>: its
 * direction is its own and cannot reorder the words around it. (Aria-labels and announcements
 * are not seen but read in logical order, so they need none.)
 */
export const isolate = (text: string) => `\u2068${text}\u2069`;

// Intl objects are costly to build and a document view formats hundreds of values: one per locale.
const cached = <T>(make: (locale: string) => T) => {
  const made = new Map<string, T>();
  return (locale: string) => {
    let v = made.get(locale);
    if (!v) {
      v = make(locale);
      made.set(locale, v);
    }
    return v;
  };
};
const numberFormat = cached((locale) => new Intl.NumberFormat(locale));
export const formatNumber = (locale: string, value: number) => numberFormat(locale).format(value);

let zone: string | null = null;
/** The viewer's own time zone, as the browser reports it (read once). */
export const viewerTimeZone = () => (zone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');

// Building an Intl.DateTimeFormat costs far more than using one: a document view formats
// hundreds of instants, so formatters are kept per locale and zone. What they write is to the
// minute, and comments come in bursts (a meeting, a deadline): the texts are kept by minute too.
const instantFormats = new Map<string, Intl.DateTimeFormat>();
const instantTexts = new Map<string, string>();
export function formatInstant(locale: Locale, iso: string, timeZone: string = viewerTimeZone()): string {
  const key = `${locale}|${timeZone}`;
  const at = Date.parse(iso);
  const textKey = `${key}|${Math.floor(at / 60_000)}`;
  const known = instantTexts.get(textKey);
  if (known !== undefined) return known;
  let format = instantFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
      timeZoneName: timeZone === 'UTC' ? undefined : 'short',
    });
    instantFormats.set(key, format);
  }
  const text = format.format(at);
  if (instantTexts.size >= 5000) instantTexts.clear();
  instantTexts.set(textKey, text);
  return text;
}

/** "3 days, 4 hr, 12 min, 5 sec" in the locale's words and digits. */
export function formatCountdown(locale: Locale, ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const parts: [number, 'day' | 'hour' | 'minute' | 'second'][] = [
    [Math.floor(total / 86_400), 'day'],
    [Math.floor((total % 86_400) / 3600), 'hour'],
    [Math.floor((total % 3600) / 60), 'minute'],
    [total % 60, 'second'],
  ];
  const firstNonZero = parts.findIndex(([n]) => n > 0);
  const shown = firstNonZero < 0 ? parts.slice(3) : parts.slice(firstNonZero);
  const words = shown.map(([n, unit]) => unitFormat(locale, unit).format(n));
  return listFormat(locale).format(words);
}
// A countdown is formatted every second: its formatters too are built once.
const unitFormats = new Map<string, Intl.NumberFormat>();
function unitFormat(locale: Locale, unit: 'day' | 'hour' | 'minute' | 'second'): Intl.NumberFormat {
  const key = `${locale}|${unit}`;
  let format = unitFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' });
    unitFormats.set(key, format);
  }
  return format;
}
const listFormat = cached((locale) => new Intl.ListFormat(locale, { style: 'short', type: 'unit' }));

/**
 * The language a first visit shows: ?lang= in the address (a locale, or en-XA for the
 * pseudo-locale), else the one chosen before on this browser, else the best match of the
 * browser's languages (navigator.languages, in the reader's order), else English.
 */
export function initialLocale(stored: string | null): Locale {
  let asked: string | null = null;
  try {
    asked = new URLSearchParams(window.location.search).get('lang');
    if (asked === PSEUDO_LOCALE) sessionStorage.setItem('convene.pseudo', '1');
    else if (asked) sessionStorage.removeItem('convene.pseudo');
    if (sessionStorage.getItem('convene.pseudo') === '1') setPseudo(true);
  } catch {
    /* private mode */
  }
  if (isLocale(asked)) return asked;
  if (isLocale(stored)) return stored;
  return browserLocale();
}

/** The first of the browser's languages we speak, by its language subtag (zh-TW → zh, es-419 → es). */
export function browserLocale(languages: readonly string[] = navigator.languages ?? [navigator.language]): Locale {
  for (const tag of languages) {
    let language: string;
    try {
      language = new Intl.Locale(tag).language;
    } catch {
      continue; // a malformed tag
    }
    if (isLocale(language)) return language;
  }
  return DEFAULT_LOCALE;
}
