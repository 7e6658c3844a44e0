// An uploaded comment template, refused before anything is parsed when it is too large, of an
// unknown kind, or a zip bomb (the revision .docx import's defences, docx-zip-check.ts), then read
// in a worker thread with a hard time limit and a heap cap: the file is untrusted XML or text.
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../lib/app-error.ts';
import { assertSafeZip, formatSize, hasZipMagic } from '../../revisions/lib/docx-zip-check.ts';
import type { SourceTable, TemplateFormat, TemplateWorkerInput, TemplateWorkerReply } from './template-conversion.ts';

export interface TemplateLimits {
  maxBytes: number;
  maxEntries: number;
  maxUncompressedBytes: number;
  timeoutMs: number;
  /** Most rows in one table. */
  maxRows: number;
}

const WORKER_HEAP_MB = 512;
const WORD_PART = 'word/document.xml';
const EXCEL_PART = 'xl/workbook.xml';

export async function readTemplateTables(file: Buffer, limits: TemplateLimits): Promise<{ format: TemplateFormat; tables: SourceTable[] }> {
  if (file.length > limits.maxBytes) throw AppError.tooLarge('file_too_large', `The file is larger than ${formatSize(limits.maxBytes)}.`);
  const format = await detectFormat(file, limits);
  const reply = await readInWorker({ format, file: new Uint8Array(file), maxRows: limits.maxRows }, limits.timeoutMs);
  if (reply.tooManyRows) {
    throw AppError.tooLarge('template_too_many_rows', `A table of the file has more than ${limits.maxRows} rows; split the comments over several files.`);
  }
  return { format, tables: reply.tables };
}

async function detectFormat(file: Buffer, limits: TemplateLimits): Promise<TemplateFormat> {
  if (hasZipMagic(file)) {
    let names: string[];
    try {
      names = await assertSafeZip(file, limits);
    } catch (error) {
      if (error instanceof AppError && error.status === 413) throw error;
      throw unreadable('The file is a damaged zip archive, so neither a Word nor an Excel file.');
    }
    if (names.includes(WORD_PART)) return 'docx';
    if (names.includes(EXCEL_PART)) return 'xlsx';
    throw unreadable('The file is a zip archive but neither a Word (.docx) nor an Excel (.xlsx) file.');
  }
  // Anything else must be CSV: text in UTF-8 (with or without a byte order mark), no binary.
  if (file.includes(0) || !isUtf8(file)) {
    throw AppError.unsupportedMediaType(
      'template_unsupported_format',
      'The file is not a comment template Convene can read: upload it as .docx, .xlsx or CSV (UTF-8). An old .doc or .xls must be saved in the newer format first.',
    );
  }
  return 'csv';
}

function isUtf8(file: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(file);
    return true;
  } catch {
    return false;
  }
}

const unreadable = (message: string) => AppError.unprocessable('template_unreadable', message);

let spare: Worker | null = null;

function startWorker(): Worker {
  const worker = new Worker(new URL('./template-worker.ts', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  // A thread in reserve must not keep the process alive, nor take it down if it fails while waiting.
  worker.unref();
  worker.on('error', () => {});
  worker.once('exit', () => {
    if (spare === worker) spare = null;
  });
  return worker;
}

/** A started thread (its parsers loaded or loading) for this file, and another put in reserve for the next. */
function takeWorker(): Worker {
  const worker = spare ?? startWorker();
  spare = startWorker();
  worker.removeAllListeners();
  worker.ref();
  return worker;
}

function readInWorker(input: TemplateWorkerInput, timeoutMs: number): Promise<Extract<TemplateWorkerReply, { ok: true }>> {
  const worker = takeWorker();
  // The file's bytes are moved to the thread, not copied.
  worker.postMessage(input, [input.file.buffer as ArrayBuffer]);
  return new Promise((resolve, reject) => {
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      worker.removeAllListeners();
      worker.on('error', () => {});
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            AppError.unprocessable(
              'template_read_timeout',
              `Reading the file took longer than ${timeoutMs} ms and was stopped; simplify the file or split it.`,
            ),
          ),
        ),
      timeoutMs,
    );
    worker.once('message', (reply: TemplateWorkerReply) =>
      finish(() =>
        reply.ok ? resolve(reply) : reject(unreadable(`The ${input.format === 'csv' ? 'CSV' : `.${input.format}`} file could not be read: ${reply.message}.`)),
      ),
    );
    worker.once('error', (error) => finish(() => reject(unreadable(`The file could not be read: ${error.message}.`))));
    worker.once('exit', (code) => finish(() => reject(unreadable(`The file could not be read (the reader stopped with exit code ${code}).`))));
  });
}
