// An error's sentence in the caller's language. Errors are made with an English sentence beside
// their stable code; the caller's catalogue (locales/<locale>/errors.json) has a sentence per code,
// filled from the error's details (a deadline, a count, the validation bounds). An English caller
// keeps the server's own sentence, which often names more than a catalogue can ("revision 2");
// a code the caller's catalogue lacks, or a sentence whose values the error does not carry, also
// keeps it: a partial translation never hides what went wrong.
import { validationKind } from '../../locales/error-keys.ts';
import { formatInstant, hasOwnMessage, messageArguments, translate, type Locale, type Vars } from './i18n.ts';

const NAMESPACE = 'errors';
/** Alternatives of a sentence, most specific first: `code` needs every value, `code.fallback` fewer. */
const ALTERNATIVES = ['', '.fallback', '.fallback2'];
/** A placeholder named like `closesAt` stands for an instant: a value that is not one does not fit it. */
const INSTANT_NAME = /At$/;
/** An ISO 8601 instant, as every instant in an error's details is written. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

interface Body {
  code: string;
  message: string;
}

/** The values a sentence may use: the body's own fields and, for validation, its issue's; instants written for the reader. */
function valuesOf(locale: Locale, body: Body, timeZone: string): Vars {
  const values: Vars = {};
  const take = (source: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(source)) {
      const instant = typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
      if (INSTANT_NAME.test(key)) {
        if (instant) values[key] = formatInstant(locale, value, timeZone);
      } else if (typeof value === 'number' && Number.isFinite(value)) values[key] = value;
      else if (typeof value === 'string') values[key] = instant ? formatInstant(locale, value, timeZone) : value;
    }
  };
  const fields = body as unknown as Record<string, unknown>;
  if (typeof fields.issue === 'object' && fields.issue !== null) take(fields.issue as Record<string, unknown>);
  take(fields);
  return values;
}

/**
 * The sentence of an error body for a reader of `locale`, and the language it is in. Instants in
 * the details are written in `timeZone` (UTC unless the reader's own zone is known).
 */
export function errorSentence(locale: Locale, body: Body, timeZone = 'UTC'): { message: string; language: Locale } {
  const own = { message: body.message, language: 'en' as Locale };
  if (locale === 'en') return own;
  const kind = body.code === 'invalid_request' ? validationKind((body as unknown as { issue?: unknown }).issue) : null;
  const bases = kind ? [`invalid_request.${kind}`, body.code] : [body.code];
  let values: Vars | null = null;
  for (const base of bases) {
    for (const suffix of ALTERNATIVES) {
      const key = base + suffix;
      if (!hasOwnMessage(locale, NAMESPACE, key)) continue;
      values ??= valuesOf(locale, body, timeZone);
      const given = values;
      if (![...messageArguments(locale, NAMESPACE, key)].every((name) => name in given)) continue;
      return { message: translate(locale, NAMESPACE, key, given), language: locale };
    }
  }
  return own;
}
