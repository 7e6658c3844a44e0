// Disposition tables for the export tests and the bench: a hand-made one that covers every
// code and the hard text (scripts, quotes, line breaks, formula triggers), and a generated one
// of any size whose text is shaped like real comments.
import type { DispositionTable, DispositionTableRow } from '../../../server/modules/dispositions/export/disposition-table.ts';

const TABLE_HEADING = {
  groupName: 'Correspondence Group on IoT security',
  groupAcronym: 'CG-IoTsec',
  documentTitle: 'Technical Report on security requirements for IoT devices',
  revisionLabel: 'rev 2',
  generatedAt: new Date('2016-05-25T14:07:31.000Z'),
} as const;

const BLANK_ROW: Omit<DispositionTableRow, 'number' | 'commenter' | 'organisation'> = {
  clause: 'General',
  paragraph: '',
  type: 'general',
  comment: '',
  proposedChange: '',
  disposition: null,
  status: 'undecided',
  rationale: '',
  adoptedText: '',
  response: null,
  implementedIn: '',
};

export function sampleTable(): DispositionTable {
  const rows: DispositionTableRow[] = [
    {
      ...BLANK_ROW,
      number: 1,
      commenter: 'Heung Youl Youm — SG17 / Korea (Republic of)',
      organisation: 'SG17 / Korea (Republic of)',
      clause: '7.1',
      paragraph: 'Figure 2',
      type: 'technical',
      comment: 'The threat model omits firmware update.\r\nDevices in the field are rarely patched.',
      proposedChange: 'Add a clause on "secure update", covering signatures, rollback and recovery.',
      disposition: 'accepted_with_modification',
      status: 'final',
      rationale: 'Agreed in principle; merged into 7.2 rather than a new clause.',
      adoptedText: 'Devices shall verify the signature of a firmware image before installing it.',
      response: { kind: 'agree', text: 'Fine with the merge.' },
      implementedIn: 'rev 3',
    },
    {
      ...BLANK_ROW,
      number: 2,
      commenter: 'Nasser Al Marzouqi — United Arab Emirates',
      organisation: 'United Arab Emirates',
      clause: '6',
      paragraph: 'Table 1',
      type: 'editorial',
      comment: 'يجب توضيح تعريف "الجهاز المقيد" في هذا البند.',
      proposedChange: 'Replace "constrained" with "resource-constrained".',
      disposition: 'accepted',
      status: 'proposed',
      rationale: '',
      response: { kind: 'object', text: 'The Arabic version, too:\nplease align it.' },
    },
    {
      ...BLANK_ROW,
      number: 3,
      commenter: 'Marie Dupont — Société Générale',
      organisation: 'Société Générale',
      clause: '7.10',
      paragraph: '',
      type: 'technical',
      comment: '=HYPERLINK("http://example.invalid","click")',
      proposedChange: '+33 1 42 14 20 00 is not a requirement',
      disposition: 'rejected',
      status: 'final',
      rationale: 'Out of the scope of the terms of reference.',
      response: { kind: 'object', text: '' },
    },
    {
      ...BLANK_ROW,
      number: 4,
      commenter: '王晓明 — SG20 / China',
      organisation: 'SG20 / China',
      clause: '7.2',
      paragraph: 'NOTE 2',
      type: 'general',
      comment: '-2 is a bad default;\n\nsee clause 8.\n',
      proposedChange: '@SUM(1,2)',
      disposition: 'noted',
      status: 'final',
      rationale: '术语已在第3条中定义。',
    },
    {
      ...BLANK_ROW,
      number: 5,
      commenter: 'Heung Youl Youm — SG17 / Korea (Republic of)',
      organisation: 'SG17 / Korea (Republic of)',
      clause: 'General',
      type: 'general',
      comment: '\tTab-led cell',
      proposedChange: '\rCarriage-return-led cell',
      disposition: 'deferred',
      status: 'proposed',
      rationale: 'Future work item.',
    },
    {
      ...BLANK_ROW,
      number: 6,
      commenter: 'Nasser Al Marzouqi — United Arab Emirates',
      organisation: 'United Arab Emirates',
      clause: 'Annex A',
      paragraph: 'A.2',
      type: 'technical',
      comment: 'Control\u0007characters and a stray \uFFFF must not break the file.',
      proposedChange: 'Say "shall", not "should"',
    },
  ];
  return { ...TABLE_HEADING, rows };
}

/** The disposition cell of each sample row, written out by hand: what a reader of the table sees. */
export const SAMPLE_DISPOSITION_CELLS = [
  'Accepted with modification — Agreed in principle; merged into 7.2 rather than a new clause.\n' +
    'Adopted text: Devices shall verify the signature of a firmware image before installing it.\n' +
    'Implemented in: rev 3',
  'Accepted (proposed)',
  'Rejected — Out of the scope of the terms of reference.',
  'Noted — 术语已在第3条中定义。',
  'Deferred (proposed) — Future work item.',
  'Not yet decided',
] as const;

export const SAMPLE_RESPONSE_CELLS = ['Agree — Fine with the merge.', 'Object — The Arabic version, too:\nplease align it.', 'Object', '', '', ''] as const;

const COMMENTERS = [
  ['Heung Youl Youm', 'SG17 / Korea (Republic of)'],
  ['Nasser Al Marzouqi', 'United Arab Emirates'],
  ['Marie Dupont', 'Société Générale'],
  ['王晓明', 'SG20 / China'],
  ['Arnaud Taddei', 'SG17 / Broadcom'],
  ['Ana Paula Silva', 'Brazil (Federative Republic of)'],
] as const;
const CLAUSES = ['General', '1', '3.2', '6', '7.1', '7.2', '7.10', '8.3', 'Annex A'] as const;
const TYPES = ['general', 'technical', 'editorial'] as const;
const DISPOSITIONS = ['accepted', 'accepted_with_modification', 'rejected', 'noted', 'deferred', null] as const;
const SENTENCES = [
  'The threat model does not consider physical access to the device.',
  'Clause 7.1 mixes requirements and recommendations; use "shall" only for requirements.',
  'Figure 2 should show the gateway between the constrained network and the Internet.',
  'Secure boot is a prerequisite for every other control listed here.',
  'The definition of "IoT device" differs from the one in ITU-T Y.4000.',
  'Key material must never be shared between devices of the same model.',
] as const;

function pick<T>(items: readonly T[], index: number): T {
  return items[index % items.length] as T;
}

function paragraphOf(seed: number, sentences: number): string {
  return Array.from({ length: sentences }, (_, i) => pick(SENTENCES, seed + i * 7)).join(' ');
}

/** A deterministic table of `count` rows with comment-sized text (a few sentences, some line breaks). */
export function syntheticTable(count: number): DispositionTable {
  const rows = Array.from({ length: count }, (_, i): DispositionTableRow => {
    const [name, organisation] = pick(COMMENTERS, i);
    const disposition = pick(DISPOSITIONS, i);
    return {
      number: i + 1,
      commenter: `${name} — ${organisation}`,
      organisation,
      clause: pick(CLAUSES, i * 5),
      paragraph: i % 4 === 0 ? `Figure ${(i % 5) + 1}` : '',
      type: pick(TYPES, i),
      comment: `${paragraphOf(i, 3)}\n${paragraphOf(i + 1, 2)}`,
      proposedChange: paragraphOf(i + 2, 2),
      disposition,
      status: disposition === null ? 'undecided' : i % 3 === 0 ? 'proposed' : 'final',
      rationale: disposition === null ? '' : paragraphOf(i + 3, 1),
      adoptedText: disposition === 'accepted_with_modification' ? paragraphOf(i + 4, 1) : '',
      response: i % 4 === 1 ? { kind: i % 8 === 1 ? 'object' : 'agree', text: paragraphOf(i + 5, 1) } : null,
      implementedIn: disposition === 'accepted' ? 'rev 3' : '',
    };
  });
  return { ...TABLE_HEADING, rows };
}
