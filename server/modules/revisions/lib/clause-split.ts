// The one place where a document becomes clauses. Both importers first produce HTML (Markdown
// via marked, .docx via mammoth) and hand it here, so numbering, front matter and duplicate
// rules are identical whatever the upload format.
import { Parser } from 'htmlparser2';
import { AppError } from '../../../lib/app-error.ts';
import { FRONT_MATTER_HEADING, type Clause } from './clause.ts';
import { ClauseNumberer, parseHeading } from './clause-number.ts';
import { htmlToPlainText, normalizeWhitespace, sanitizeRichText } from './markdown.ts';

/** A clause before its body is sanitized: the importer may still inspect the source HTML. */
export interface ClauseSection {
  number: string;
  heading: string;
  /** The body exactly as it came from the converter (not yet sanitized). */
  sourceHtml: string;
}

/**
 * A heading element with this class is the document's title (Word's "Title" style): it names
 * the front matter instead of opening a numbered clause, so it never shifts computed numbers.
 */
export const TITLE_CLASS = 'title';

const HEADING_TAG = /^h([1-6])$/u;

interface HeadingSpan {
  level: number;
  isTitle: boolean;
  text: string;
  /** Offset of `<hN`. */
  start: number;
  /** Offset just after `</hN>`. */
  end: number;
}

/** Splits converted HTML at its top-level headings and numbers the clauses. */
export function splitIntoSections(html: string): ClauseSection[] {
  const headings = findTopLevelHeadings(html);
  const firstClause = headings.findIndex((h) => !h.isTitle);
  const titles = firstClause < 0 ? headings : headings.slice(0, firstClause);
  const clauseHeadings = firstClause < 0 ? [] : headings.slice(firstClause);

  const sections: ClauseSection[] = [];
  const frontMatter = frontMatterSection(html, titles, clauseHeadings[0]?.start ?? html.length);
  if (frontMatter) sections.push(frontMatter);
  sections.push(...numberedSections(html, clauseHeadings));

  if (sections.length === 0) throw AppError.unprocessable('no_clauses', 'The document has no text and no headings, so it has no clauses.');
  assertUniqueNumbers(sections);
  return sections;
}

/** The stored clause: body sanitized with the shared allow-list, plain text derived from it. */
export function sectionToClause(section: ClauseSection): Clause {
  const html = sanitizeRichText(section.sourceHtml).trim();
  return { number: section.number, heading: section.heading, html, text: htmlToPlainText(html) };
}

// Content before the first clause heading, without the title headings themselves; kept only
// when it has words in it or a title to show.
function frontMatterSection(html: string, titles: HeadingSpan[], end: number): ClauseSection | null {
  let sourceHtml = '';
  let offset = 0;
  for (const title of titles) {
    sourceHtml += html.slice(offset, title.start);
    offset = title.end;
  }
  sourceHtml += html.slice(offset, end);
  const heading = titles
    .map((t) => t.text)
    .filter(Boolean)
    .join(' \u2014 ');
  if (heading === '' && htmlToPlainText(sanitizeRichText(sourceHtml)) === '') return null;
  return { number: '', heading: heading || FRONT_MATTER_HEADING, sourceHtml };
}

function numberedSections(html: string, headings: HeadingSpan[]): ClauseSection[] {
  const numberer = new ClauseNumberer();
  // Depth 1 is the shallowest heading level in use, so a document that starts at ## is not all "x.1".
  const topLevel = Math.min(...headings.map((h) => h.level));
  return headings.map((h, i) => {
    const parsed = parseHeading(h.text);
    const number = numberer.next(parsed, h.level - topLevel + 1);
    const bodyEnd = headings[i + 1]?.start ?? html.length;
    return { number, heading: parsed.title, sourceHtml: html.slice(h.end, bodyEnd) };
  });
}

function assertUniqueNumbers(sections: ClauseSection[]): void {
  const seen = new Set<string>();
  for (const { number } of sections) {
    if (seen.has(number)) {
      throw AppError.unprocessable('duplicate_clause_number', `Clause number ${number} appears more than once; each clause needs its own number.`, { number });
    }
    seen.add(number);
  }
}

// Only headings at the top of the document split it: a heading inside a blockquote, list or
// table cell is part of that clause's body.
function findTopLevelHeadings(html: string): HeadingSpan[] {
  const spans: HeadingSpan[] = [];
  let depth = 0;
  let open: { level: number; isTitle: boolean; start: number; text: string; depth: number } | null = null;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const level = HEADING_TAG.exec(name)?.[1];
        if (level && depth === 0 && !open) {
          const isTitle = (attribs.class ?? '').split(/\s+/u).includes(TITLE_CLASS);
          open = { level: Number(level), isTitle, start: parser.startIndex, text: '', depth };
        }
        depth++;
      },
      ontext(text) {
        if (open) open.text += text;
      },
      onclosetag(name) {
        depth--;
        if (open && depth === open.depth && HEADING_TAG.test(name)) {
          spans.push({ level: open.level, isTitle: open.isTitle, text: normalizeWhitespace(open.text), start: open.start, end: parser.endIndex + 1 });
          open = null;
        }
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return spans;
}
