// From the recognised rows of a comment template to what the import would do with each row, before
// anything is stored: the clause of the chosen revision it maps to (by number; unmatched rows are
// listed for the importer to map by hand), the member body it is attributed to (and the group member
// it names, when one matches), its type, and the disposition its observations cell proposes. Pure,
// so the preview and the import agree by construction and the rules are tested without a database.
import type { CommentType, DispositionCode } from '../../../generated/prisma/client.ts';
import type { RecognisedTable, TemplateKey } from './template-columns.ts';

export interface PlanClause {
  id: string;
  number: string;
  heading: string;
}

export interface PlanMember {
  id: string;
  name: string;
  affiliation: string;
}

/** What the importer chose for a row the file did not place: a clause number, the whole document, or leave it out. */
export type RowMapping = string;
export const WHOLE_DOCUMENT = 'general';
export const SKIP_ROW = 'skip';

export interface PlanOptions {
  /** The member body for rows that name none (a liaison contact's own organisation). */
  organisation: string;
  /** Read the observations cells as proposed dispositions. */
  importObservations: boolean;
  /** By the row's number in the file. */
  mappings: Readonly<Record<string, RowMapping>>;
  maxCommentChars: number;
}

export type RowOutcome = 'ready' | 'unmatched' | 'skipped' | 'invalid';

export interface PlannedRow {
  row: number;
  outcome: RowOutcome;
  /** Why the row is unmatched, skipped or invalid, or what was assumed about it. */
  notes: string[];
  memberBody: string;
  member: PlanMember | null;
  line: string;
  clauseAsWritten: string;
  /** The clause it maps to; null with outcome ready: the whole document. */
  clause: PlanClause | null;
  /** For an unmatched row: the nearest clause above the number written ("7.1" for "7.1.9"). */
  suggestion: string | null;
  paragraph: string;
  type: CommentType;
  comment: string;
  proposedChange: string;
  observations: string;
  disposition: { code: DispositionCode; rationale: string } | null;
}

const cell = (cells: readonly string[], index: number | undefined) => (index === undefined ? '' : (cells[index] ?? '').replace(/\r\n?/g, '\n').trim());

export function planTemplateImport(
  table: RecognisedTable,
  context: { clauses: readonly PlanClause[]; members: readonly PlanMember[] },
  options: PlanOptions,
): PlannedRow[] {
  const clauses = new Map(context.clauses.filter((c) => c.number !== '').map((c) => [c.number.toLowerCase(), c]));
  const members = memberMatcher(context.members);
  const planned: PlannedRow[] = [];
  for (const source of table.rows) {
    const get = (key: TemplateKey) => cell(source.cells, table.columns[key]);
    // Empty rows (the template ships with a block of them) are not rows at all.
    if ((Object.keys(table.columns) as TemplateKey[]).every((key) => get(key) === '')) continue;
    const notes: string[] = [];
    const memberBody = get('memberBody') || options.organisation.trim();
    const written = get('clause');
    const mapping = options.mappings[String(source.row)];
    const row: PlannedRow = {
      row: source.row,
      outcome: 'ready',
      notes,
      memberBody,
      member: memberBody ? members(memberBody) : null,
      line: get('line'),
      clauseAsWritten: written,
      clause: null,
      suggestion: null,
      paragraph: get('paragraph'),
      type: commentType(get('type'), notes),
      comment: get('comment'),
      proposedChange: get('proposedChange'),
      observations: get('observations'),
      disposition: null,
    };
    planned.push(row);
    if (mapping === SKIP_ROW) {
      row.outcome = 'skipped';
      notes.push('Left out by the importer.');
      continue;
    }
    if (row.comment === '') {
      row.outcome = 'skipped';
      notes.push('The row has no comment text.');
      continue;
    }
    if (memberBody === '') {
      row.outcome = 'invalid';
      notes.push('The row names no member body or organisation; fill the MB/NC column or give an organisation for the whole file.');
    }
    if (row.comment.length > options.maxCommentChars || row.proposedChange.length > options.maxCommentChars) {
      row.outcome = 'invalid';
      notes.push(`The comment or its proposed change is longer than ${options.maxCommentChars} characters.`);
    }
    placeClause(row, mapping ?? null, clauses);
    if (options.importObservations && row.observations !== '') row.disposition = proposedDisposition(row.observations, notes);
  }
  return planned;
}

const GENERAL = /^(general|generic|all|whole( document)?|entire document|document|overall|global|n\/?a|-+|–|—|\*)$/i;
const CLAUSE_WORDS = /^(?:(?:sub)?clause|section|§|cl\.?|chapter)\s*/i;
const ANNEX = /^(annex|appendix)\s+([a-z]|[ivx]{1,4}|\d{1,3})\b/i;
const NUMBERED = /^(\d{1,3}(?:\.\d{1,3})*|[A-Z](?:\.\d{1,3})+)\.?(?=$|[\s,;:/(–—-])/;

/** "Clause 7.1.", "§ 7.1 Security threats", "Annex A" → the clause number; "General", "" → the whole document; null: not a clause number. */
export function clauseNumberOf(written: string): string | null | typeof WHOLE_DOCUMENT {
  const text = written.trim().replace(CLAUSE_WORDS, '');
  if (text === '' || GENERAL.test(text)) return WHOLE_DOCUMENT;
  const annex = ANNEX.exec(text);
  if (annex) return `${annex[1]![0]!.toUpperCase()}${annex[1]!.slice(1).toLowerCase()} ${annex[2]!.toUpperCase()}`;
  return NUMBERED.exec(text)?.[1] ?? null;
}

function placeClause(row: PlannedRow, mapping: RowMapping | null, clauses: Map<string, PlanClause>): void {
  const target = mapping ?? clauseNumberOf(row.clauseAsWritten);
  if (target === WHOLE_DOCUMENT) return;
  const found = target === null ? undefined : clauses.get(target.toLowerCase());
  if (found) {
    row.clause = found;
    return;
  }
  if (row.outcome === 'ready') row.outcome = 'unmatched';
  row.notes.push(
    mapping
      ? `Clause ${mapping} is not in this revision.`
      : target === null
        ? `"${row.clauseAsWritten}" is not a clause number; map the row to a clause.`
        : `Clause ${target} is not in this revision; map the row to a clause.`,
  );
  // The nearest enclosing clause that exists: a comment on 7.1.9 when the draft stops at 7.1.
  const parts = (target ?? '').split('.');
  while (parts.length > 1) {
    parts.pop();
    const parent = clauses.get(parts.join('.').toLowerCase());
    if (parent) {
      row.suggestion = parent.number;
      break;
    }
  }
}

function commentType(written: string, notes: string[]): CommentType {
  const text = written.trim().toLowerCase();
  if (/^ge|^gen/.test(text)) return 'GENERAL';
  if (/^te|^tech/.test(text)) return 'TECHNICAL';
  if (/^ed|^edit/.test(text)) return 'EDITORIAL';
  notes.push(text === '' ? 'No type given; imported as general (ge).' : `Type "${written.trim()}" is not ge, te or ed; imported as general (ge).`);
  return 'GENERAL';
}

const DISPOSITION_WORDS: ReadonlyArray<[RegExp, DispositionCode]> = [
  [/^(accepted|accept)\s+(in principle|with modifications?|with changes?|in part|partially)\b/i, 'ACCEPTED_WITH_MODIFICATION'],
  [/^(partially accepted|revised|modified)\b/i, 'ACCEPTED_WITH_MODIFICATION'],
  [/^(not accepted|rejected|reject|declined)\b/i, 'REJECTED'],
  [/^(accepted|accept|agreed|agree)\b/i, 'ACCEPTED'],
  [/^(noted|note)\b/i, 'NOTED'],
  [/^(deferred|defer|postponed|future work)\b/i, 'DEFERRED'],
];

/** "Accepted in principle. See the new text." → accepted with modification, with that rationale. */
export function proposedDisposition(observations: string, notes: string[]): PlannedRow['disposition'] {
  for (const [pattern, code] of DISPOSITION_WORDS) {
    const match = pattern.exec(observations);
    if (!match) continue;
    const rationale = observations
      .slice(match[0].length)
      .replace(/^[\s.:;,–—-]+/, '')
      .trim();
    // A disposition other than acceptance states why (the adjudication rule).
    if (code !== 'ACCEPTED' && rationale === '') {
      notes.push('The observations give a disposition without a rationale; the comment is imported undecided.');
      return null;
    }
    return { code, rationale };
  }
  notes.push('The observations do not start with a disposition (accepted, rejected, noted, deferred…); the comment is imported undecided.');
  return null;
}

const normaliseName = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** A member named by the row: by name, else by an affiliation only one member has. */
function memberMatcher(members: readonly PlanMember[]) {
  const byName = new Map<string, PlanMember | null>();
  const byAffiliation = new Map<string, PlanMember | null>();
  for (const member of members) {
    const name = normaliseName(member.name);
    byName.set(name, byName.has(name) ? null : member);
    const affiliation = normaliseName(member.affiliation);
    if (affiliation !== '') byAffiliation.set(affiliation, byAffiliation.has(affiliation) ? null : member);
  }
  return (memberBody: string): PlanMember | null => {
    const key = normaliseName(memberBody);
    return byName.get(key) ?? byAffiliation.get(key) ?? null;
  };
}
