// The text a commenter sends: Markdown body (rendered to HTML inside the drafts' allow-list, raw
// HTML shown as typed, so a script tag is stored as inert text), a proposed change, and a quote that must
// occur in the clause it targets.
import { AppError } from '../../lib/app-error.ts';
import { normalizeWhitespace, renderCommentMarkdown } from '../revisions/lib/markdown.ts';
import { checkMarkdownDepth } from '../revisions/lib/markdown-depth.ts';

export function checkBodyLength(body: string, maxChars: number): void {
  if (body.length > maxChars) {
    throw AppError.tooLarge(
      'comment_too_long',
      `A comment body may have at most ${maxChars.toLocaleString('en-GB')} characters; this one has ${body.length.toLocaleString('en-GB')}.`,
      { maxChars, length: body.length },
    );
  }
}

/**
 * Refuses a body too long or nested too deep to render, before anything is stored or queued: the
 * comment writer renders a whole batch together, where one refusal would fail its neighbours.
 */
export function checkCommentBody(body: string, maxChars: number): void {
  checkBodyLength(body, maxChars);
  checkMarkdownDepth(body);
}

export const renderCommentBody = (body: string): string => renderCommentMarkdown(body).trim();

/** The quote, whitespace-normalised (null when none), or false when it does not occur in the text it targets. */
export function quoteOccurs(quotedText: string | null | undefined, targetText: string): string | null | false {
  if (quotedText === undefined || quotedText === null) return null;
  const quote = normalizeWhitespace(quotedText);
  if (quote === '') return null;
  return normalizeWhitespace(targetText).includes(quote) ? quote : false;
}

/** The quote, whitespace-normalised, or 422 when it does not occur in the text it targets. */
export function checkQuote(quotedText: string | null | undefined, targetText: string, where: string): string | null {
  const quote = quoteOccurs(quotedText, targetText);
  if (quote === false) throw AppError.unprocessable('quote_not_in_clause', `The quoted text does not occur in ${where}; quote the exact words.`);
  return quote;
}
