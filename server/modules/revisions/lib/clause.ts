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

/** What an importer returns: the clauses, and remarks for the person who uploaded the file. */
export interface ImportResult {
  clauses: Clause[];
  notes: string[];
}

export const FRONT_MATTER_HEADING = 'Front matter';
