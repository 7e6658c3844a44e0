// The disposition of comments of one document, from the database, as the export library's
// DispositionTable. One query selecting only what the table prints (names and affiliations,
// never e-mail addresses), in document order.
import type { Tx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { mainLanguage } from '../../lib/export-language.ts';
import type { DispositionTable } from './export/disposition-table.ts';
import { adjudicableComments, pileOrder } from './pile-filter.ts';
import { toTableRows } from './table-rows.ts';

/** Works on the app's client and inside a transaction (publishing freezes the table it builds). */
export async function buildDispositionTable(
  db: Pick<Tx, 'comment' | 'revision' | '$queryRaw'>,
  input: {
    /** Its languages name the exports' language (the first is the group's main language). */
    group: { name: string; acronym: string; languages?: readonly string[] | undefined };
    document: { id: string; title: string };
    /** Only comments made on this revision; all of the document's comments otherwise. */
    revision?: number | undefined;
  },
): Promise<DispositionTable> {
  const { document } = input;
  // Sequential on purpose: inside a transaction there is one connection, and pg refuses overlapping queries on it.
  const comments = await db.comment.findMany({
    where: { ...adjudicableComments(document.id), ...(input.revision !== undefined ? { revision: { sequence: input.revision } } : {}) },
    orderBy: pileOrder,
    select: {
      type: true,
      bodyHtml: true,
      proposedChange: true,
      author: { select: { name: true, affiliation: true } },
      clause: { select: { number: true } },
      outside: { select: { participant: { select: { liaisonContactId: true, stakeholderGroup: true, region: true } } } },
      disposition: {
        select: {
          code: true,
          status: true,
          rationale: true,
          adoptedText: true,
          responseKind: true,
          responseText: true,
          implementedIn: { select: { sequence: true, label: true } },
        },
      },
      imported: { select: { memberBody: true, memberMatched: true, paragraph: true } },
    },
  });
  const revision =
    input.revision !== undefined
      ? await db.revision.findUnique({
          where: { documentId_sequence: { documentId: document.id, sequence: input.revision } },
          select: { sequence: true, label: true },
        })
      : await db.revision.findFirst({ where: { documentId: document.id }, orderBy: { sequence: 'desc' }, select: { sequence: true, label: true } });
  const [clock] = await db.$queryRaw<[{ now: Date }]>`SELECT now() AS now`;
  if (input.revision !== undefined && !revision) throw AppError.notFound(`Revision ${input.revision} of that document`, 'revision_not_found');
  return {
    language: mainLanguage(input.group.languages),
    groupName: input.group.name,
    groupAcronym: input.group.acronym,
    documentTitle: document.title,
    revisionLabel: revision ? `Revision ${revision.sequence} (${revision.label})` : '',
    generatedAt: clock.now,
    rows: toTableRows(comments),
  };
}
