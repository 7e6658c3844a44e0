// A .docx is a zip. Before mammoth (which inflates with JSZip, all in memory) sees the file,
// we read the central directory ourselves and then inflate every entry with a running byte
// count, so a zip bomb is refused whether its sizes are declared honestly or not.
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { AppError } from '../../../lib/app-error.ts';

export interface ZipLimits {
  maxEntries: number;
  maxUncompressedBytes: number;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const MAIN_PART = 'word/document.xml';

export function hasZipMagic(buffer: Buffer): boolean {
  return buffer.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC);
}

/** Throws AppError 413/422 unless the zip is within the limits and has a Word main part. */
export async function assertSafeDocxZip(buffer: Buffer, limits: ZipLimits): Promise<void> {
  const names = await assertSafeZip(buffer, limits);
  if (!names.includes(MAIN_PART)) {
    throw AppError.unprocessable('not_a_docx', 'The file is a zip archive but not a Word document (it has no word/document.xml).');
  }
}

/**
 * The same defences for any Office file (a .docx, an .xlsx): entry count, declared and actual
 * unpacked size, a readable archive. Returns the names of its entries, for the caller to tell
 * which kind of file it is.
 */
export async function assertSafeZip(buffer: Buffer, limits: ZipLimits): Promise<string[]> {
  const zip = await openZip(buffer);
  try {
    const entries = await readCentralDirectory(zip, limits);
    await inflateWithinLimit(zip, entries, limits.maxUncompressedBytes);
    return entries.map((e) => e.fileName);
  } finally {
    zip.close();
  }
}

async function openZip(buffer: Buffer): Promise<ZipFile> {
  try {
    return await yauzl.fromBufferPromise(buffer, { lazyEntries: true, validateEntrySizes: true });
  } catch {
    throw AppError.unprocessable('not_a_docx', 'The file could not be read as a zip archive, so it is not a valid Word document.');
  }
}

async function readCentralDirectory(zip: ZipFile, limits: ZipLimits): Promise<Entry[]> {
  if (zip.entryCount > limits.maxEntries) throw tooManyEntries(limits.maxEntries);
  const entries: Entry[] = [];
  let declared = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      declared += entry.uncompressedSize;
      if (declared > limits.maxUncompressedBytes) throw tooLargeUncompressed(limits.maxUncompressedBytes);
      entries.push(entry);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw AppError.unprocessable('not_a_docx', `The zip archive is damaged: ${errorMessage(error)}`);
  }
  return entries;
}

// yauzl's validateEntrySizes stops a stream that yields more than its entry declared; the
// running total stops honest-but-huge content. Either way we stop reading at the limit.
async function inflateWithinLimit(zip: ZipFile, entries: Entry[], maxBytes: number): Promise<void> {
  let total = 0;
  for (const entry of entries) {
    if (entry.fileName.endsWith('/')) continue;
    let stream: Awaited<ReturnType<ZipFile['openReadStreamPromise']>>;
    try {
      stream = await zip.openReadStreamPromise(entry);
    } catch (error) {
      throw AppError.unprocessable('not_a_docx', `The zip entry ${entry.fileName} cannot be read: ${errorMessage(error)}`);
    }
    try {
      for await (const chunk of stream) {
        total += (chunk as Buffer).length;
        if (total > maxBytes) throw tooLargeUncompressed(maxBytes);
      }
    } catch (error) {
      stream.destroy();
      if (error instanceof AppError) throw error;
      if (/too many bytes/i.test(errorMessage(error))) throw tooLargeUncompressed(maxBytes);
      throw AppError.unprocessable('not_a_docx', `The zip entry ${entry.fileName} is damaged: ${errorMessage(error)}`);
    }
  }
}

function tooManyEntries(max: number): AppError {
  return AppError.tooLarge('docx_too_large_uncompressed', `The document contains more than ${max} files inside its zip archive.`);
}

function tooLargeUncompressed(maxBytes: number): AppError {
  return AppError.tooLarge('docx_too_large_uncompressed', `The document unpacks to more than ${formatSize(maxBytes)}.`);
}

/** "10 MiB", "1.5 MiB", "800 bytes": sizes as a person reads them in an error message. */
export function formatSize(bytes: number): string {
  const MiB = 1024 * 1024;
  return bytes >= MiB ? `${Math.round((bytes / MiB) * 10) / 10} MiB` : `${bytes} bytes`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
