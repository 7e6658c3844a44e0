// The server's error sentences in the reader's language. Errors arrive as `{ code, message, …details }`
// with an English `message`; a French or Arabic reader gets the catalogue's sentence for the code
// (i18n/errors/), filled from the details (a deadline, a count, the validation bounds). A code the
// catalogue lacks, or a sentence whose values the error does not carry, falls back to the
// server's English sentence, so nothing is ever hidden. English readers get the server's
// sentence as it is (it is English already, and often names more than a catalogue could).
//
// Only the reader's catalogue is loaded, when the language is chosen, so English readers pay
// nothing for it and nobody downloads the other languages.
import type { ApiErrorCatalogue, ApiErrorKey, ApiErrorMessage } from './errors/en.ts';
import { formatInstant, formatNumber, translate, viewerTimeZone, type Locale } from './translate.ts';

type Catalogue = Partial<ApiErrorCatalogue>;

const loaded: Partial<Record<Locale, Catalogue>> = {};
const LOADERS: Partial<Record<Locale, () => Promise<Catalogue>>> = {
  fr: () => import('./errors/fr.ts').then((m) => m.apiErrorsFr),
  ar: () => import('./errors/ar.ts').then((m) => m.apiErrorsAr),
};

/** Loads the locale's catalogue once; true when it was not there before (the caller re-renders). */
export async function loadApiErrors(locale: Locale): Promise<boolean> {
  const load = LOADERS[locale];
  if (!load || loaded[locale]) return false;
  loaded[locale] = await load();
  return true;
}

// errorMessage(error, t) is called all over the client with the t() of the I18n context; the
// provider registers each t() it makes with its locale, so the error's language follows t().
const localeOfT = new WeakMap<object, Locale>();
export const registerTranslator = (t: object, locale: Locale) => {
  localeOfT.set(t, locale);
};
export const translatorLocale = (t: object): Locale | undefined => localeOfT.get(t);

type Body = Record<string, unknown>;

/** What kind of validation error a 400 invalid_request is, from the zod issue the server describes. */
export function validationKind(issue: unknown): string | null {
  if (typeof issue !== 'object' || issue === null) return null;
  const { code, origin, format, minimum } = issue as { code?: unknown; origin?: unknown; format?: unknown; minimum?: unknown };
  switch (code) {
    case 'too_small':
      return origin === 'string' ? (typeof minimum === 'number' && minimum > 1 ? 'too_short' : 'required') : 'too_small';
    case 'too_big':
      return origin === 'string' ? 'too_long' : 'too_big';
    case 'invalid_format':
      return format === 'email' ? 'email' : format === 'datetime' ? 'datetime' : 'format';
    case 'invalid_value':
    case 'invalid_union':
      return 'choice';
    case 'invalid_type':
      return 'type';
    case 'unrecognized_keys':
      return 'unknown_field';
    case 'invalid_characters':
      return 'characters';
    default:
      return null;
  }
}

/** The values a sentence may use: the body's own fields, and for validation its issue's. */
function valuesOf(body: Body): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  const take = (source: Body) => {
    for (const [key, value] of Object.entries(source)) if (typeof value === 'string' || typeof value === 'number') values[key] = value;
  };
  if (typeof body.issue === 'object' && body.issue !== null) take(body.issue as Body);
  take(body);
  return values;
}

const PLACEHOLDER = /\{(\w+)(?:,\s*(instant))?\}/g;

/** The sentence with its values, or null when one of them is missing (or an instant is not one). */
function fill(locale: Locale, sentence: string, values: Record<string, string | number>): string | null {
  let complete = true;
  const text = sentence.replace(PLACEHOLDER, (whole: string, name: string, format: string | undefined) => {
    const value = values[name];
    if (value === undefined) {
      complete = false;
      return whole;
    }
    if (format === 'instant') {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
        complete = false;
        return whole;
      }
      // As <Instant> shows it: the reader's zone, with UTC beside it.
      const utc = translate(locale, 'timeframe.utc', { time: formatInstant(locale, value, 'UTC') });
      return viewerTimeZone() === 'UTC' ? utc : `${formatInstant(locale, value)} (${utc})`;
    }
    return typeof value === 'number' ? formatNumber(locale, value) : value;
  });
  return complete ? text : null;
}

const alternatives = (message: ApiErrorMessage | undefined): readonly string[] =>
  message === undefined ? [] : typeof message === 'string' ? [message] : message;

/**
 * The error's sentence from `catalogue` in `locale`, or null (show the server's). Pure: the
 * catalogue is passed in, so tests need no loading.
 */
export function apiErrorSentence(locale: Locale, catalogue: Catalogue | undefined, body: Body): string | null {
  if (!catalogue || typeof body.code !== 'string') return null;
  const kind = body.code === 'invalid_request' ? validationKind(body.issue) : null;
  const keys = [kind ? `invalid_request.${kind}` : null, body.code].filter((k): k is string => k !== null);
  const values = valuesOf(body);
  for (const key of keys) {
    for (const sentence of alternatives(catalogue[key as ApiErrorKey])) {
      const text = fill(locale, sentence, values);
      if (text !== null) return text;
    }
  }
  return null;
}

/** The error body's sentence for a reader of `locale`, when one is loaded for them; null: show the server's. */
export function translateApiError(locale: Locale | undefined, body: Body): string | null {
  if (!locale || locale === 'en') return null;
  return apiErrorSentence(locale, loaded[locale], body);
}
