// What the .docx worker and the importer agree on. Kept free of imports so that the worker
// thread loads nothing but mammoth and this file.

/**
 * Word paragraph styles → HTML. Headings 1–6 open clauses; "Title" names the front matter
 * (see TITLE_CLASS in clause-split.ts). The rest of mammoth's default map (lists, bold,
 * italic, tables) still applies after these lines.
 */
export const DOCX_STYLE_MAP: readonly string[] = [
  "p[style-name='Title'] => h1.title:fresh",
  ...[1, 2, 3, 4, 5, 6].flatMap((n) => [`p[style-name='Heading ${n}'] => h${n}:fresh`, `p[style-name='heading ${n}'] => h${n}:fresh`]),
];

/**
 * Images are not stored: each one is replaced by an <img> with this src so the importer can
 * count them per clause; the sanitizer then removes it. Nothing of the image is read.
 */
export const DROPPED_IMAGE_SRC = 'convene:dropped-image';

export interface DocxWorkerInput {
  docx: Uint8Array;
}

export type DocxWorkerReply = { ok: true; html: string; messages: string[] } | { ok: false; message: string };
