// A revision as a Word document: a title block, then each clause as a real Word heading (its level
// from its number: "7" is Heading 1, "7.1" Heading 2) followed by its body, converted from the
// stored HTML by docx/html into Word's own styles (Title, Heading n, List Paragraph, Hyperlink) and
// no direct formatting, so a secretariat can apply its template to it. The same writer makes the
// final report (with its disposition table as an annex on landscape pages) and revision N with its
// changes against revision M as Word tracked changes.
import {
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  type FileChild,
  HeadingLevel,
  InsertedTextRun,
  Packer,
  PageOrientation,
  Paragraph,
  type ParagraphChild,
  TextRun,
} from 'docx';
import { htmlToContent } from 'docx/html';
import { exportText, labelText, type ExportText } from '../../../lib/export-language.ts';
import { directionOf, type Locale } from '../../../lib/i18n.ts';
import type { ClauseComparison } from '../../revisions/lib/compare.ts';
import { wordDiff } from '../../revisions/lib/compare.ts';
import type { DispositionTable } from '../../dispositions/export/disposition-table.ts';
import { commentTable } from '../../dispositions/export/to-docx.ts';
import { markWholeParagraphs } from './paragraph-marks.ts';
import { escapeHtml, trackedHtml, wholeHtml } from './tracked-html.ts';

export interface WordClause {
  /** "7.1", "Annex A", or "" for the front matter. */
  number: string;
  heading: string;
  /** Sanitized HTML (the drafts' allow-list). */
  html: string;
}

export interface WordRevision {
  groupName: string;
  groupAcronym: string;
  documentTitle: string;
  sequence: number;
  label: string;
  /** When the revision was posted. */
  date: Date;
  /** The language of the fixed words (title block, annex heading): the group's main language. */
  language?: Locale;
}

/** Who made the changes of a tracked document, and when: the poster of the newer revision. */
export interface ChangeAuthor {
  name: string;
  date: Date;
}

const A4_TWIPS = { width: 11906, height: 16838 } as const;
const LANDSCAPE_MARGIN_TWIPS = 720; // the annex table's layout counts on these (dispositions/export/to-docx.ts)
const FONT = 'Times New Roman'; // ITU's house font; a template replaces it anyway
const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
];

/** "7" → 1, "7.1" → 2, "A.1.2" → 3, "Annex A" → 1; deeper than six is six, as Word has six heading levels in its outline here. */
export function headingLevel(number: string): number {
  if (number === '' || /^(Annex|Appendix)\b/.test(number)) return 1;
  return Math.min(6, number.split('.').length);
}

const headingText = (clause: WordClause) => (clause.number === '' ? clause.heading : `${clause.number} ${clause.heading}`);

/** Revision N alone (or the final report, with the disposition table as an annex). */
export async function revisionToDocx(input: {
  revision: WordRevision;
  clauses: readonly WordClause[];
  annex?: DispositionTable;
  finalReport?: boolean;
}): Promise<Buffer> {
  const { revision } = input;
  // One HTML for the whole text: docx/html's set-up costs more than most clauses' conversion.
  const html = input.clauses.map((clause) => (isFrontMatter(clause) ? '' : headingHtml(clause, escapeHtml(headingText(clause)))) + clause.html).join('');
  const t = exportText(revision.language);
  const body: FileChild[] = [...titleBlock(revision, input.finalReport ? t('report.finalReport') : null), ...content(html)];
  return pack(revision, body, input.annex);
}

/**
 * Revision N with its changes against M as tracked changes: words inserted and deleted within a
 * paragraph, clauses added or removed whole, all by the poster of N at N's date. `anchors` adds a
 * Word comment on a clause's heading naming the Convene comments the clause resolves.
 */
export async function trackedRevisionToDocx(input: {
  revision: WordRevision;
  against: { sequence: number; label: string };
  entries: readonly ClauseComparison[];
  author: ChangeAuthor;
  anchors?: ReadonlyMap<string, readonly string[]>;
}): Promise<Buffer> {
  const { revision, author } = input;
  const change = changeIds(author);
  const comments: { id: number; author: string; date: Date; children: Paragraph[] }[] = [];
  const t = exportText(revision.language);
  const body: FileChild[] = [
    ...titleBlock(revision, null),
    labelledLine(t, 'label.changes', t('report.changesAgainst', { sequence: input.against.sequence, label: input.against.label }), revision.language),
    new Paragraph({}),
  ];
  const tracked = { trackChanges: { author: author.name, date: author.date.toISOString() } };
  // The clauses go through docx/html in as few calls as possible (its set-up dominates a small
  // clause); only a heading that carries a Word comment is built here, between two calls.
  let pending = '';
  const flush = () => {
    if (pending !== '') body.push(...content(pending, tracked));
    pending = '';
  };
  for (const entry of input.entries) {
    const now = entry.to;
    const old = entry.from;
    const notes = now ? (input.anchors?.get(now.number) ?? []) : [];
    if (now && old) {
      const headingChanged = entry.contentChanged || old.number !== now.number;
      if (notes.length > 0) {
        flush();
        const runs: ParagraphChild[] = headingChanged ? trackedRuns(headingText(old), headingText(now), change) : [new TextRun(xmlSafe(headingText(now)))];
        body.push(headingParagraph(now, withComment(runs, notes, comments, author)));
      } else {
        pending += headingHtml(now, headingChanged ? trackedHeadingHtml(headingText(old), headingText(now)) : escapeHtml(headingText(now)));
      }
      pending += entry.contentChanged ? trackedHtml(old.html, now.html) : now.html;
    } else if (now) {
      if (notes.length > 0) {
        flush();
        body.push(
          headingParagraph(now, withComment([new InsertedTextRun({ text: xmlSafe(headingText(now)), ...change() })], notes, comments, author), change()),
        );
      } else {
        pending += headingHtml(now, `<ins>${escapeHtml(headingText(now))}</ins>`);
      }
      pending += wholeHtml(now.html, 'ins');
    } else if (old) {
      pending += headingHtml(old, `<del>${escapeHtml(headingText(old))}</del>`) + wholeHtml(old.html, 'del');
    }
  }
  flush();
  const docx = await pack(revision, body, undefined, comments);
  return markWholeParagraphs(docx, { author: author.name, date: author.date.toISOString() });
}

/** Ids for w:ins/w:del, unique in the document (docx/html numbers its own from 1000001). */
function changeIds(author: ChangeAuthor) {
  let next = 1;
  const date = author.date.toISOString();
  return () => ({ id: next++, author: author.name, date });
}

const isFrontMatter = (clause: WordClause) => clause.number === '' && clause.heading === 'Front matter';

/** The heading as HTML, at its level: docx/html gives <hN> Word's "Heading N" style. */
function headingHtml(clause: WordClause, inner: string): string {
  const level = headingLevel(clause.number);
  return `<h${level}>${inner}</h${level}>`;
}

function trackedHeadingHtml(before: string, after: string): string {
  return wordDiff(before, after)
    .map((part) =>
      part.op === 'equal'
        ? escapeHtml(part.text)
        : `<${part.op === 'insert' ? 'ins' : 'del'}>${escapeHtml(part.text)}</${part.op === 'insert' ? 'ins' : 'del'}>`,
    )
    .join('');
}

function trackedRuns(before: string, after: string, change: ReturnType<typeof changeIds>): ParagraphChild[] {
  return wordDiff(before, after).map((part) =>
    part.op === 'equal'
      ? new TextRun(xmlSafe(part.text))
      : part.op === 'insert'
        ? new InsertedTextRun({ text: xmlSafe(part.text), ...change() })
        : new DeletedTextRun({ text: xmlSafe(part.text), ...change() }),
  );
}

function withComment(
  runs: ParagraphChild[],
  notes: readonly string[],
  comments: { id: number; author: string; date: Date; children: Paragraph[] }[],
  author: ChangeAuthor,
): ParagraphChild[] {
  if (notes.length === 0) return runs;
  const id = comments.length;
  comments.push({ id, author: author.name, date: author.date, children: notes.map((note) => new Paragraph({ children: [new TextRun(xmlSafe(note))] })) });
  return [new CommentRangeStart(id), ...runs, new CommentRangeEnd(id), new TextRun({ children: [new CommentReference(id)] })];
}

function headingParagraph(
  clause: WordClause,
  children: ParagraphChild[],
  insertion?: { id: number; author: string; date: string },
  deletion?: { id: number; author: string; date: string },
): Paragraph {
  return new Paragraph({
    heading: HEADINGS[headingLevel(clause.number) - 1],
    children,
    // The paragraph mark too, so accepting a removed clause (or rejecting an added one) leaves no empty heading.
    ...(insertion || deletion ? { run: { ...(insertion ? { insertion } : {}), ...(deletion ? { deletion } : {}) } } : {}),
  });
}

function content(html: string, options: Parameters<typeof htmlToContent>[1] = {}): FileChild[] {
  return [...htmlToContent(xmlSafe(html), options)];
}

function titleBlock(revision: WordRevision, kind: string | null): Paragraph[] {
  const t = exportText(revision.language);
  const locale = revision.language;
  return [
    new Paragraph({ heading: HeadingLevel.TITLE, ...rightToLeft(locale), children: [new TextRun(xmlSafe(revision.documentTitle))] }),
    labelledLine(t, 'label.group', revision.groupAcronym ? `${revision.groupName} (${revision.groupAcronym})` : revision.groupName, locale),
    labelledLine(t, 'label.document', kind ? t('report.documentKind', { title: revision.documentTitle, kind }) : revision.documentTitle, locale),
    labelledLine(t, 'label.revision', t('report.revision', { sequence: revision.sequence, label: revision.label }), locale),
    labelledLine(t, 'label.date', longDate(revision.date, locale), locale),
  ];
}

/** The fixed paragraphs of an Arabic export read right to left. */
const rightToLeft = (locale: Locale | undefined) => (locale && directionOf(locale) === 'rtl' ? { bidirectional: true } : {});

function labelledLine(t: ExportText, key: string, value: string, locale: Locale | undefined): Paragraph {
  return new Paragraph({ ...rightToLeft(locale), children: [new TextRun({ text: `${labelText(t, key)} `, bold: true }), new TextRun(xmlSafe(value))] });
}

/** "25 May 2016": the date as ITU documents write it, in UTC, in the export's language. */
export function longDate(date: Date, locale: Locale = 'en'): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

async function pack(
  revision: WordRevision,
  body: FileChild[],
  annex?: DispositionTable,
  comments: { id: number; author: string; date: Date; children: Paragraph[] }[] = [],
): Promise<Buffer> {
  const sections = [{ properties: { page: { size: A4_TWIPS } }, children: body }];
  if (annex) {
    sections.push({
      properties: {
        page: {
          size: { ...A4_TWIPS, orientation: PageOrientation.LANDSCAPE },
          margin: { top: LANDSCAPE_MARGIN_TWIPS, right: LANDSCAPE_MARGIN_TWIPS, bottom: LANDSCAPE_MARGIN_TWIPS, left: LANDSCAPE_MARGIN_TWIPS },
        },
      } as (typeof sections)[number]['properties'],
      children: [
        new Paragraph({ heading: HeadingLevel.HEADING_1, ...rightToLeft(annex.language), children: [new TextRun(exportText(annex.language)('report.annex'))] }),
        commentTable(annex.rows, annex.language),
        new Paragraph({}),
      ],
    });
  }
  const document = new Document({
    creator: 'Convene',
    title: xmlSafe(exportText(revision.language)('report.docTitle', { title: revision.documentTitle, sequence: revision.sequence })),
    styles: { default: { document: { run: { font: FONT, size: 24 } } } },
    ...(comments.length ? { comments: { children: comments } } : {}),
    sections,
  });
  return Packer.toBuffer(document);
}

/** Characters XML refuses (lone surrogates, U+FFFE/U+FFFF); Word will not open a file with one. */
function xmlSafe(text: string): string {
  return text.toWellFormed().replace(/[\uFFFE\uFFFF]/g, '');
}
