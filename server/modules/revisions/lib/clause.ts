/** One numbered clause of a draft revision. */
export interface Clause {
  /** "7.1", "Annex A", or "" for the unnumbered front matter. */
  number: string;
  /** Plain text (entities decoded): escape it when rendering, never insert it as HTML. */
  heading: string;
  /** Sanitized HTML of the body (allow-list of markdown.ts). */
  html: string;
  /** Plain text of the body, whitespace-normalised: what quotes are matched against and diffs run on. */
  text: string;
}

/**
 * Something the import changed on the way to the drafts' allow-list, for the editor to see before
 * posting: raw HTML shown as typed, an image dropped (its description kept), a link reduced to
 * its words. `clause` is null when it sat before the first clause in text that made none.
 */
export interface ImportChange {
  kind: 'markup_as_text' | 'image_dropped' | 'link_removed';
  clause: { number: string; heading: string } | null;
  count: number;
  /** Up to five distinct instances: tags as `<script>`, image descriptions, link targets. */
  examples: string[];
}

/** What an importer returns: the clauses, remarks for the person who uploaded the file, and what it changed. */
export interface ImportResult {
  clauses: Clause[];
  notes: string[];
  changes: ImportChange[];
}

export const FRONT_MATTER_HEADING = 'Front matter';

/** An import change as a sentence for the revision's stored notes (the preview sends the change itself, for the client to word). */
export function changeNote(change: ImportChange): string {
  const where = change.clause === null ? 'Before the first clause' : change.clause.number ? `Clause ${change.clause.number}` : change.clause.heading;
  const examples = change.examples.length ? ` (${change.examples.join(', ')})` : '';
  const n = change.count;
  switch (change.kind) {
    case 'markup_as_text':
      return `${where}: ${n === 1 ? '1 HTML tag was' : `${n} HTML tags were`} shown as text${examples}.`;
    case 'image_dropped':
      return `${where}: ${n === 1 ? '1 image was' : `${n} images were`} dropped, keeping the description${examples}; attach figures separately.`;
    case 'link_removed':
      return `${where}: ${n === 1 ? '1 link was' : `${n} links were`} kept as words only, as only http, https and mailto links are kept${examples}.`;
  }
}
