// The results table as the study group circulates it: per draft, replies, in support, not in
// support, the share in support against the threshold and the outcome, then the reasons of the
// Administrations that do not support (and the comments attached by those that do). As .docx
// (the docx library: ITU's working format) and as CSV, in the group's main language. Only after
// the deadline.
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { toCsv } from '../../lib/csv.ts';
import { exportText, type ExportText } from '../../lib/export-language.ts';
import { directionOf, formatInstant, type Locale } from '../../lib/i18n.ts';
import { describeInstant } from '../../lib/instant.ts';
import type { Tally } from './read-consultations.ts';

const draftName = (r: { acronym: string; number: string | null }) => (r.number ? `${r.number} (${r.acronym})` : r.acronym);

const formats = new Map<string, Intl.NumberFormat>();
/** "50.0 %" ("50,0 %" in French): a share as the language writes it. */
function percent(t: ExportText, locale: Locale, p: number | null, share = true): string {
  if (p === null) return '';
  // A share has one decimal ("50.0 %"); a threshold is written as it was set ("70 %", "66.5 %").
  const id = `${locale}/${share}`;
  let format = formats.get(id);
  if (!format) {
    format = new Intl.NumberFormat(locale, { minimumFractionDigits: share ? 1 : 0, maximumFractionDigits: share ? 1 : 2, useGrouping: false });
    formats.set(id, format);
  }
  return t('results.percent', { value: format.format(p) });
}

const HEADER_KEYS = ['draft', 'title', 'replies', 'inSupport', 'notInSupport', 'share', 'threshold', 'outcome'] as const;
/** The Word table leaves out the long title and the threshold (stated above it). */
const DOCX_HEADER_KEYS = HEADER_KEYS.filter((k) => k !== 'title' && k !== 'threshold');

const outcomeText = (t: ExportText, outcome: 'meets' | 'fails' | 'no_replies' | null) => (outcome ? t(`results.outcome.${outcome}`) : '');

export function resultsCsv(tally: Tally, locale: Locale = 'en'): string {
  const c = tally.consultation;
  const t = exportText(locale);
  return toCsv(
    HEADER_KEYS.map((key) => t(`results.column.${key}`)),
    tally.rows.map((r) => [
      draftName(r),
      r.title,
      // Counts stay plain digits: a spreadsheet computes with them.
      String(r.replies),
      String(r.inSupport ?? ''),
      String(r.notInSupport ?? ''),
      percent(t, locale, r.percentInSupport),
      percent(t, locale, c.thresholdPercent, false),
      outcomeText(t, r.outcome),
    ]),
  );
}

export async function resultsDocx(tally: Tally, locale: Locale = 'en'): Promise<Buffer> {
  const c = tally.consultation;
  const t = exportText(locale);
  const rtl = directionOf(locale) === 'rtl';
  const bidi = rtl ? { bidirectional: true } : {};
  const cell = (text: string, bold = false) => new TableCell({ children: [new Paragraph({ ...bidi, children: [new TextRun({ text, bold })] })] });
  const table = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    ...(rtl ? { visuallyRightToLeft: true } : {}),
    rows: [
      new TableRow({ tableHeader: true, children: DOCX_HEADER_KEYS.map((key) => cell(t(`results.column.${key}`), true)) }),
      ...tally.rows.map(
        (r) =>
          new TableRow({
            children: [
              draftName(r),
              String(r.replies),
              String(r.inSupport ?? ''),
              String(r.notInSupport ?? ''),
              percent(t, locale, r.percentInSupport),
              outcomeText(t, r.outcome),
            ].map((text) => cell(text)),
          }),
      ),
    ],
  });
  const reasons = tally.rows.flatMap((r) =>
    r.reasons.length
      ? [
          new Paragraph({ ...bidi, heading: HeadingLevel.HEADING_2, text: `${draftName(r)} – ${r.title}` }),
          ...r.reasons.flatMap((x) => [
            new Paragraph({
              ...bidi,
              children: [new TextRun({ text: `${t('label', { label: x.administration })} `, bold: true }), new TextRun(t(`results.position.${x.position}`))],
            }),
            ...x.text.split(/\r?\n/).map((line) => new Paragraph({ text: line })),
          ]),
        ]
      : [],
  );
  const deadline = locale === 'en' ? describeInstant(new Date(c.deadline), 'UTC') : formatInstant(locale, new Date(c.deadline));
  const summary = [t('results.deadline', { deadline }), t('results.invited', { invited: tally.invited }), t('results.rule', { threshold: c.thresholdPercent })]
    // Chinese sentences run on without spaces.
    .join(locale === 'zh' ? '' : ' ');
  const doc = new Document({
    creator: 'Convene',
    title: t('results.docTitle', { reference: c.reference }),
    sections: [
      {
        children: [
          new Paragraph({ ...bidi, heading: HeadingLevel.TITLE, text: t('results.title', { reference: c.reference }) }),
          new Paragraph({ ...bidi, text: c.subject }),
          new Paragraph({ ...bidi, text: summary }),
          table,
          new Paragraph({ ...bidi, alignment: rtl ? AlignmentType.RIGHT : AlignmentType.LEFT, heading: HeadingLevel.HEADING_1, text: t('results.reasons') }),
          ...(reasons.length ? reasons : [new Paragraph({ ...bidi, text: t('results.noReasons') })]),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
