// The results table as the study group circulates it: per draft, replies, in support, not in
// support, the share in support against the threshold and the outcome, then the reasons of the
// Administrations that do not support (and the comments attached by those that do). As .docx
// (the docx library: ITU's working format) and as CSV. Only after the deadline.
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { toCsv } from '../../lib/csv.ts';
import { describeInstant } from '../../lib/instant.ts';
import type { Tally } from './read-consultations.ts';

const OUTCOME_TEXT = { meets: 'Meets the threshold', fails: 'Does not meet the threshold', no_replies: 'No replies' } as const;
const draftName = (r: { acronym: string; number: string | null }) => (r.number ? `${r.number} (${r.acronym})` : r.acronym);
const percent = (p: number | null) => (p === null ? '' : `${p.toFixed(1)} %`);

const HEADER = ['Draft', 'Title', 'Replies', 'In support', 'Not in support', 'Replies in support', 'Threshold', 'Outcome'];

export function resultsCsv(tally: Tally): string {
  const c = tally.consultation;
  return toCsv(
    HEADER,
    tally.rows.map((r) => [
      draftName(r),
      r.title,
      String(r.replies),
      String(r.inSupport ?? ''),
      String(r.notInSupport ?? ''),
      percent(r.percentInSupport),
      `${c.thresholdPercent} %`,
      r.outcome ? OUTCOME_TEXT[r.outcome] : '',
    ]),
  );
}

const cell = (text: string, bold = false) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });

export async function resultsDocx(tally: Tally): Promise<Buffer> {
  const c = tally.consultation;
  const table = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: HEADER.filter((h) => h !== 'Title' && h !== 'Threshold').map((h) => cell(h, true)) }),
      ...tally.rows.map(
        (r) =>
          new TableRow({
            children: [
              draftName(r),
              String(r.replies),
              String(r.inSupport ?? ''),
              String(r.notInSupport ?? ''),
              percent(r.percentInSupport),
              r.outcome ? OUTCOME_TEXT[r.outcome] : '',
            ].map((t) => cell(t)),
          }),
      ),
    ],
  });
  const reasons = tally.rows.flatMap((r) =>
    r.reasons.length
      ? [
          new Paragraph({ heading: HeadingLevel.HEADING_2, text: `${draftName(r)} – ${r.title}` }),
          ...r.reasons.flatMap((x) => [
            new Paragraph({
              children: [
                new TextRun({ text: `${x.administration}: `, bold: true }),
                new TextRun(x.position === 'does_not_assign_authority' ? 'does not assign authority' : 'assigns authority, comments attached'),
              ],
            }),
            ...x.text.split(/\r?\n/).map((line) => new Paragraph({ text: line })),
          ]),
        ]
      : [],
  );
  const doc = new Document({
    creator: 'Convene',
    title: `${c.reference} – results`,
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, text: `${c.reference}: results of the Member State consultation` }),
          new Paragraph({ text: c.subject }),
          new Paragraph({
            text: `Deadline: ${describeInstant(new Date(c.deadline), 'UTC')}. Administrations invited: ${tally.invited}. A draft goes forward when ${c.thresholdPercent} % or more of the replies support it.`,
          }),
          table,
          new Paragraph({ alignment: AlignmentType.LEFT, heading: HeadingLevel.HEADING_1, text: 'Reasons and comments' }),
          ...(reasons.length ? reasons : [new Paragraph({ text: 'No Administration gave reasons or attached comments.' })]),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
