// The sentence of a mail answer in the reader's language. The pipeline and the reply targets say
// what happened twice: an English sentence (the operator's inbound log, and the answer to an
// English reader) and the same in catalogue terms, rendered here for the reader (emails.json,
// `mailAnswer.*`). A refusal by a use case is its error's sentence in the reader's language (the
// errors catalogue the web uses), after the catalogue's "not recorded" lead. Whatever a catalogue
// lacks stays in English: a partial translation never hides what happened.
import { errorSentence } from '../../lib/error-sentence.ts';
import { formatInstant, hasOwnMessage, translate, type Locale } from '../../lib/i18n.ts';

export interface AnswerWords {
  key: string;
  /** Values of the sentence; those named in `translated` are catalogue keys themselves, and instants (`…At`) ISO strings. */
  vars?: Record<string, string | number>;
  translated?: string[];
  /** What the reply was about: a clause of a document, or the document as a whole. */
  where?: { number: string | null; title: string };
  /** The zone instants are written in besides UTC (the reader's group's). */
  timeZone?: string;
}

export interface RefusalError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

const NAMESPACE = 'emails';
const INSTANT = /At$/;

/** `english` for an English reader or when the reader's catalogue lacks the sentence. */
export function answerSentence(locale: Locale, english: string, words?: AnswerWords, error?: RefusalError): string {
  if (locale === 'en') return english;
  if (error) {
    const reason = errorSentence(locale, { code: error.code, message: error.message, ...(error.details ?? {}) });
    if (reason.language !== locale || !hasOwnMessage(locale, NAMESPACE, 'mailAnswer.notRecorded')) return english;
    return translate(locale, NAMESPACE, 'mailAnswer.notRecorded', { reason: reason.message });
  }
  if (!words || !hasOwnMessage(locale, NAMESPACE, words.key)) return english;
  const vars: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(words.vars ?? {})) {
    if (words.translated?.includes(name)) {
      if (!hasOwnMessage(locale, NAMESPACE, String(value))) return english;
      vars[name] = translate(locale, NAMESPACE, String(value));
    } else if (INSTANT.test(name) && typeof value === 'string') vars[name] = formatInstant(locale, value, words.timeZone ?? 'UTC');
    else vars[name] = value;
  }
  if (words.where) {
    const { number, title } = words.where;
    vars.where = translate(locale, NAMESPACE, number ? 'mailAnswer.where.clause' : 'mailAnswer.where.document', { number: number ?? '', title });
  }
  return translate(locale, NAMESPACE, words.key, vars);
}
