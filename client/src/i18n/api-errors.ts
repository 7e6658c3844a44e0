// The server's error sentences in the reader's language. Errors arrive as `{ code, message, …details }`;
// a reader of another language than English gets the `errors` catalogue's sentence for the code
// (locales/<locale>/errors.json), filled from the details (a deadline, a count, the validation
// bounds). A code may have alternatives, `code.fallback` and `code.fallback2`, for when the error
// does not carry every value the first one names. A code the catalogue lacks, or no sentence whose
// values the error carries, falls back to the server's own sentence, so nothing is ever hidden.
// English readers get the server's sentence as it is (it is English already, and often names more
// than a catalogue could).
//
// The errors catalogue loads with the reader's language (i18n/index.tsx), never the others.
import { validationKind } from '../../../locales/error-keys.ts';
import { formatInstant, formatMessage, getMessages, translate, viewerTimeZone, type Locale } from './translate.ts';

type Catalogue = Readonly<Record<string, unknown>>;

// errorMessage(error, t) is called all over the client with the t() of the I18n context; the
// provider registers each t() it makes with its locale, so the error's language follows t().
const localeOfT = new WeakMap<object, Locale>();
export const registerTranslator = (t: object, locale: Locale) => {
  localeOfT.set(t, locale);
};
export const translatorLocale = (t: object): Locale | undefined => localeOfT.get(t);

type Body = Record<string, unknown>;

export { validationKind };

// An instant as the server writes them in error details (toISOString, or with an offset).
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The values a sentence may use: the body's own fields, and for validation its issue's. Instants
 * are written as <Instant> shows them (the reader's zone, with UTC beside it); numbers are
 * formatted for the locale by formatMessage.
 */
function valuesOf(locale: Locale, body: Body): { values: Record<string, string | number>; instants: Set<string> } {
  const values: Record<string, string | number> = {};
  const instants = new Set<string>();
  const take = (source: Body) => {
    for (const [key, value] of Object.entries(source)) {
      if (typeof value === 'number') values[key] = value;
      else if (typeof value !== 'string') continue;
      else if (ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value))) {
        values[key] = instant(locale, value);
        instants.add(key);
      } else values[key] = value;
    }
  };
  if (typeof body.issue === 'object' && body.issue !== null) take(body.issue as Body);
  take(body);
  return { values, instants };
}

function instant(locale: Locale, iso: string): string {
  const utc = translate(locale, 'timeframe.utc', { time: formatInstant(locale, iso, 'UTC') });
  return viewerTimeZone() === 'UTC' ? utc : `${formatInstant(locale, iso)} (${utc})`;
}

/** The placeholders of a sentence (plain {name} and {name, …}). */
const PLACEHOLDER = /\{\s*(\w+)\s*[,}]/g;
const placeholders = (sentence: string): string[] => [...sentence.matchAll(PLACEHOLDER)].map((m) => m[1] as string);

/**
 * The error's sentence from `catalogue` in `locale`, or null (show the server's). Pure: the
 * catalogue is passed in, so tests need no loading.
 */
export function apiErrorSentence(locale: Locale, catalogue: Catalogue | undefined, body: Body): string | null {
  if (!catalogue || typeof body.code !== 'string') return null;
  const kind = body.code === 'invalid_request' ? validationKind(body.issue) : null;
  const codes = [kind ? `invalid_request.${kind}` : null, body.code].filter((k): k is string => k !== null);
  const { values, instants } = valuesOf(locale, body);
  // A value the sentence needs and the error lacks, or an instant (opensAt, closesAt…) that is not one.
  const unusable = (name: string) => values[name] === undefined || (name.endsWith('At') && !instants.has(name));
  for (const code of codes) {
    for (const key of [code, `${code}.fallback`, `${code}.fallback2`]) {
      const sentence = catalogue[key];
      if (typeof sentence !== 'string') continue;
      if (placeholders(sentence).some(unusable)) continue;
      try {
        return formatMessage(locale, `errors/${locale}/${key}`, sentence, values);
      } catch {
        // a value of the wrong kind for its argument (text for a plural): the next alternative
      }
    }
  }
  return null;
}

/** The error body's sentence for a reader of `locale`, when one is loaded for them; null: show the server's. */
export function translateApiError(locale: Locale | undefined, body: Body): string | null {
  if (!locale || locale === 'en') return null;
  return apiErrorSentence(locale, getMessages(locale, 'errors'), body);
}
