// A draft written in Markdown: every heading opens a clause (see clause-split.ts).
import type { ImportResult } from './clause.ts';
import { sectionToClause, splitIntoSections } from './clause-split.ts';
import { renderMarkdown } from './markdown.ts';

export function importMarkdown(source: string): ImportResult {
  // Rendering the whole document at once (rather than clause by clause) keeps reference-style
  // links working when the definition sits in another clause.
  const sections = splitIntoSections(renderMarkdown(source));
  const clauses = sections.map(sectionToClause);
  const notes: string[] = [];
  if (clauses.every((c) => c.number === '')) {
    notes.push('The document has no headings, so it was imported as a single unnumbered clause; start each clause with a heading such as "## 7.1 Title".');
  }
  return { clauses, notes };
}
