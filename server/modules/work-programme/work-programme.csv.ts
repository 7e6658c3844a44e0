// The work programme as a spreadsheet: the columns of a lead study group's work plan (seed 002)
// plus the lifecycle and the A.1 timing.
import { toCsv } from '../../lib/csv.ts';
import type { presentWorkItemSummary } from './work-programme.presenter.ts';

const HEADER = ['Group', 'Question', 'Work item', 'Number', 'Title', 'Approval process', 'Timing', 'Status', 'Status since (UTC)', 'Editors'];

export function workProgrammeCsv(groupAcronym: string, items: ReturnType<typeof presentWorkItemSummary>[]): string {
  return toCsv(
    HEADER,
    items.map((w) => [
      groupAcronym,
      w.question,
      w.acronym,
      w.number ?? '',
      w.title,
      w.approvalProcess.toUpperCase(),
      w.timing,
      w.status.replaceAll('_', ' '),
      w.statusChangedAt,
      w.editors.map((e) => (e.affiliation ? `${e.name} (${e.affiliation})` : e.name)).join('; '),
    ]),
  );
}
