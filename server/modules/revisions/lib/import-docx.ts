// A draft uploaded as Word. Each check refuses the file before anything is kept; conversion
// runs in a worker thread with a hard time limit because mammoth parses untrusted XML.
import { Worker } from 'node:worker_threads';
import { Parser } from 'htmlparser2';
import { AppError } from '../../../lib/app-error.ts';
import type { ImportResult } from './clause.ts';
import { sectionToClause, splitIntoSections, type ClauseSection } from './clause-split.ts';
import { DROPPED_IMAGE_SRC, type DocxWorkerInput, type DocxWorkerReply } from './docx-conversion.ts';
import { assertSafeDocxZip, formatSize, hasZipMagic } from './docx-zip-check.ts';

export interface DocxImportOptions {
  /** Largest accepted upload; default 10 MiB. */
  maxBytes?: number;
  /** Most files inside the zip; default 2000. */
  maxEntries?: number;
  /** Largest total unpacked size; default 50 MiB. */
  maxUncompressedBytes?: number;
  /** Longest conversion before the worker is killed; default 10 s. */
  timeoutMs?: number;
}

const MiB = 1024 * 1024;
export const DOCX_IMPORT_DEFAULTS: Readonly<Required<DocxImportOptions>> = {
  maxBytes: 10 * MiB,
  maxEntries: 2000,
  maxUncompressedBytes: 50 * MiB,
  timeoutMs: 10_000,
};

// Heap cap for the worker: a document that balloons in memory kills its thread, not the server.
const WORKER_HEAP_MB = 512;
// Past this many distinct converter warnings the user gets a count instead of a wall of text.
const MAX_WARNING_NOTES = 10;

export async function importDocx(buffer: Buffer, opts: DocxImportOptions = {}): Promise<ImportResult> {
  const limits = {
    maxBytes: opts.maxBytes ?? DOCX_IMPORT_DEFAULTS.maxBytes,
    maxEntries: opts.maxEntries ?? DOCX_IMPORT_DEFAULTS.maxEntries,
    maxUncompressedBytes: opts.maxUncompressedBytes ?? DOCX_IMPORT_DEFAULTS.maxUncompressedBytes,
    timeoutMs: opts.timeoutMs ?? DOCX_IMPORT_DEFAULTS.timeoutMs,
  };
  if (buffer.length > limits.maxBytes) {
    throw AppError.tooLarge('file_too_large', `The file is larger than ${formatSize(limits.maxBytes)}.`);
  }
  if (!hasZipMagic(buffer)) {
    throw AppError.unsupportedMediaType('not_a_docx', 'The file is not a Word document (.docx).');
  }
  await assertSafeDocxZip(buffer, limits);

  const { html, messages } = await convertInWorker(buffer, limits.timeoutMs);
  const sections = splitIntoSections(html);
  return {
    clauses: sections.map(sectionToClause),
    notes: [...droppedImageNotes(sections), ...warningNotes(messages)],
    changes: [],
  };
}

function convertInWorker(buffer: Buffer, timeoutMs: number): Promise<{ html: string; messages: string[] }> {
  const workerData: DocxWorkerInput = { docx: new Uint8Array(buffer) };
  const worker = new Worker(new URL('./docx-worker.ts', import.meta.url), {
    workerData,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  return new Promise((resolve, reject) => {
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      worker.removeAllListeners();
      worker.on('error', () => {});
      // The worker has replied or failed; either way it must not linger.
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            AppError.unprocessable(
              'docx_conversion_timeout',
              `Converting the document took longer than ${timeoutMs} ms and was stopped; simplify the document or upload it as Markdown.`,
            ),
          ),
        ),
      timeoutMs,
    );
    worker.once('message', (reply: DocxWorkerReply) =>
      finish(() => {
        if (reply.ok) resolve({ html: reply.html, messages: reply.messages });
        else reject(conversionFailed(reply.message));
      }),
    );
    worker.once('error', (error) => finish(() => reject(conversionFailed(error.message))));
    worker.once('exit', (code) => finish(() => reject(conversionFailed(`the converter stopped (exit code ${code})`))));
  });
}

function conversionFailed(reason: string): AppError {
  return AppError.unprocessable('docx_conversion_failed', `The Word document could not be converted: ${reason}.`);
}

function droppedImageNotes(sections: ClauseSection[]): string[] {
  return sections.flatMap((section) => {
    const count = countDroppedImages(section.sourceHtml);
    if (count === 0) return [];
    const where = section.number === '' ? section.heading : `Clause ${section.number}`;
    const images = count === 1 ? '1 image was dropped' : `${count} images were dropped`;
    return [`${where}: ${images}; attach figures separately.`];
  });
}

function countDroppedImages(html: string): number {
  let count = 0;
  const parser = new Parser({
    onopentag(name, attribs) {
      if (name === 'img' && attribs.src === DROPPED_IMAGE_SRC) count++;
    },
  });
  parser.end(html);
  return count;
}

function warningNotes(messages: string[]): string[] {
  const distinct = [...new Set(messages)];
  const shown = distinct.slice(0, MAX_WARNING_NOTES).map((m) => `Conversion: ${m}`);
  const hidden = distinct.length - shown.length;
  return hidden > 0 ? [...shown, `Conversion: ${hidden} more warnings not shown.`] : shown;
}
