// A draft written in Markdown: every heading opens a clause (see clause-split.ts).
import type { Clause, ImportChange, ImportResult } from './clause.ts';
import { sectionToClause, splitIntoSections } from './clause-split.ts';
import { renderDraftMarkdown, type DraftChanges } from './markdown.ts';

export function importMarkdown(source: string): ImportResult {
  const { html, changes } = renderDraftMarkdown(source);
  const clauses = splitIntoSections(html).map(sectionToClause);
  const notes: string[] = [];
  if (clauses.every((c) => c.number === '')) {
    notes.push('The document has no headings, so it was imported as a single unnumbered clause; start each clause with a heading such as "## 7.1 Title".');
  }
  return { clauses, notes, changes: placeChanges(changes, clauses) };
}

const MAX_EXAMPLES = 5;

// changes[0] is the text before the first heading (the front matter, kept only when it has
// words), changes[i] the text under the i-th heading, which opens the i-th numbered clause.
function placeChanges(changes: DraftChanges[], clauses: Clause[]): ImportChange[] {
  const headings = changes.length - 1;
  const offset = clauses.length - headings;
  const clauseOf = (stretch: number): Clause | undefined => {
    if (offset !== 0 && offset !== 1) return undefined;
    return stretch === 0 ? (offset === 1 ? clauses[0] : undefined) : clauses[offset + stretch - 1];
  };
  return changes.flatMap((found, stretch) => {
    const clause = clauseOf(stretch);
    const where = clause ? { number: clause.number, heading: clause.heading } : null;
    const entries: ImportChange[] = [];
    const add = (kind: ImportChange['kind'], items: string[]) => {
      if (items.length === 0) return;
      const examples = [...new Set(items.filter(Boolean))].slice(0, MAX_EXAMPLES);
      entries.push({ kind, clause: where, count: items.length, examples });
    };
    add('markup_as_text', found.markupAsText);
    add('image_dropped', found.imagesDropped);
    add('link_removed', found.linksRemoved);
    return entries;
  });
}
