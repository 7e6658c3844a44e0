// What the template worker and the reader agree on. Kept free of imports so the worker thread
// loads nothing but its parsers and this file.

export type TemplateFormat = 'docx' | 'xlsx' | 'csv';

export interface TemplateWorkerInput {
  format: TemplateFormat;
  file: Uint8Array;
  /** Stop reading a table past this many rows (the reader refuses the file then). */
  maxRows: number;
}

/** One row of a table as the file shows it: its number there (1-based) and each cell's text. */
export interface SourceRow {
  row: number;
  cells: string[];
}

/** A Word table, or a worksheet, or the CSV file. */
export interface SourceTable {
  /** "Table 2", "Sheet Comments", "CSV". */
  name: string;
  rows: SourceRow[];
}

export type TemplateWorkerReply = { ok: true; tables: SourceTable[]; tooManyRows: boolean } | { ok: false; message: string };
