// A small i18n layer over Intl, without React: typed message keys, {placeholders}, CLDR plurals,
// and locale-aware dates, times, numbers and durations. English is the fallback for any key a
// catalogue lacks (Arabic covers the interface chrome for now).
import type { LocaleCode } from '../api/endpoints.ts';
import { ar } from './ar.ts';
import type { AdjudicationMessageKey } from './adjudication/en.ts';
import type { DocumentMessageKey } from './documents/en.ts';
import type { PeriodMessageKey } from './periods/en.ts';
import type { InterchangeMessageKey } from './interchange/en.ts';
import type { OpenConsultationMessageKey } from './open-consultation/en.ts';
import { en, type Message, type MessageKey, type Messages, type Plural } from './en.ts';
import { fr } from './fr.ts';

export type Locale = LocaleCode;
export const LOCALES: readonly Locale[] = ['en', 'fr', 'ar'];
/** Each language named in itself (never translated). */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français', ar: 'العربية' };
const CATALOGUES: Record<Locale, Partial<Messages>> = { en, fr, ar };

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
export const directionOf = (locale: Locale): 'rtl' | 'ltr' => (locale === 'ar' ? 'rtl' : 'ltr');

export type Vars = Record<string, string | number>;

/** Every key t() accepts: the core catalogue plus the lazily loaded screens' catalogue (documents, digests). */
export type AnyMessageKey = MessageKey | DocumentMessageKey | AdjudicationMessageKey | PeriodMessageKey | InterchangeMessageKey | OpenConsultationMessageKey;

// Catalogues of lazily loaded screens (i18n/documents/): they join when their chunk loads, so
// their strings cost the sign-in and group-home bundle nothing.
const LAZY: Record<Locale, Partial<Record<string, Message>>> = { en: {}, fr: {}, ar: {} };
export function addMessages(catalogues: Record<Locale, Partial<Record<string, Message>>>): void {
  for (const locale of LOCALES) Object.assign(LAZY[locale], catalogues[locale]);
}

export function translate(locale: Locale, key: AnyMessageKey, vars: Vars = {}): string {
  const message: string | Plural =
    (CATALOGUES[locale] as Partial<Record<string, Message>>)[key] ?? LAZY[locale][key] ?? (en as Record<string, Message>)[key] ?? LAZY.en[key] ?? key;
  const text = typeof message === 'string' ? message : (message[pluralRules(locale).select(Number(vars.count ?? 0))] ?? message.other);
  if (!text.includes('{')) return text; // most strings have no placeholder: no pattern to run
  return text.replace(/\{(\w+)\}/g, (whole: string, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(locale, value) : value;
  });
}

/**
 * User text (a name, a group, a title) inside a sentence shown as a plain string (a confirm()
 * dialog), between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, the text form of <bdi>: its
 * direction is its own and cannot reorder the words around it. (Aria-labels and announcements
 * are not seen but read in logical order, so they need none.)
 */
export const isolate = (text: string) => `\u2068${text}\u2069`;

// Intl objects are costly to build and a document view formats hundreds of values: one per locale.
const cached = <T>(make: (locale: Locale) => T) => {
  const made = new Map<Locale, T>();
  return (locale: Locale) => {
    let v = made.get(locale);
    if (!v) {
      v = make(locale);
      made.set(locale, v);
    }
    return v;
  };
};
const pluralRules = cached((locale) => new Intl.PluralRules(locale));
const numberFormat = cached((locale) => new Intl.NumberFormat(locale));
export const formatNumber = (locale: Locale, value: number) => numberFormat(locale).format(value);

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
