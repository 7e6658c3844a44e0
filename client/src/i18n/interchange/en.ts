// English strings of the Word/Excel downloads and the comment-template import. Every key must
// exist in fr.ts (the type enforces it); ar.ts may leave keys out.
import type { Message } from '../en.ts';

export const interchangeEn = {
  'word.title': 'Word and Excel',
  'word.revisionDocx': 'Download revision {sequence} as Word (.docx)',
  'word.against': 'Changes against',
  'word.trackedDocx': 'Download with revision marks (.docx)',
  'word.importComments': 'Import comments from the comment template',
  'word.reportDocx': 'Final report as Word (.docx)',
  'word.tableXlsx': 'Comment template (.xlsx)',
  'import.title': 'Import comments from the comment template',
  'import.intro':
    'Upload the ISO/IEC/ITU comment template as Word (.docx), Excel (.xlsx) or CSV. Convene reads its table and shows what it would do with every row; nothing is stored until you import.',
  'import.revision': 'Comments on revision {sequence}',
  'import.back': 'Back to the document',
  'import.file': 'Template file',
  'import.fileHint': '.docx, .xlsx or CSV (UTF-8)',
  'import.organisation': 'Member body or organisation',
  'import.organisationHint': 'Used for the rows whose MB/NC column is empty.',
  'import.observations': 'Import the observations as proposed dispositions',
  'import.preview': 'Preview',
  'import.previewing': 'Reading…',
  'import.import': 'Import {count} comments',
  'import.importing': 'Importing…',
  'import.chooseFile': 'Choose the template file first.',
  'import.afterDeadline': 'The comment period has closed: as a convener you may still import, and the import is recorded as made after the deadline.',
  'import.notOpen': 'The comment period is not open: the import is recorded as made outside it.',
  'import.counts': '{ready} ready, {unmatched} to map, {skipped} left out, {invalid} invalid; {dispositions} proposed dispositions',
  'import.table': 'Rows of {table}, header on row {row}',
  'import.row': 'Row',
  'import.memberBody': 'MB/NC',
  'import.clause': 'Clause',
  'import.type': 'Type',
  'import.comment': 'Comment',
  'import.outcome': 'Outcome',
  'import.outcome.ready': 'Ready',
  'import.outcome.unmatched': 'Map to a clause',
  'import.outcome.skipped': 'Left out',
  'import.outcome.invalid': 'Invalid',
  'import.member': 'member: {name}',
  'import.wholeDocument': 'Whole document',
  'import.mapTo': 'Map row {row} to',
  'import.choose': 'Choose…',
  'import.skip': 'Leave out',
  'import.done': '{count} comments imported.',
} as const satisfies Record<string, Message>;

export type InterchangeMessageKey = keyof typeof interchangeEn;
export type InterchangeMessages = Record<InterchangeMessageKey, Message>;
