// Compression for a response written in parts that must each leave at once (the document page
// sends its head while the server gathers its data: the browser fetches the scripts meanwhile).
// @fastify/compress pipes a stream through zlib, which holds small writes until its buffer fills,
// so the head would wait for the data; here every part is flushed as it is written. The settings
// are the compression plugin's (plugins/compression.ts uses them too).
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

export type Encoding = 'br' | 'gzip';

/** In order of preference: brotli is ~15% smaller than gzip on our HTML and JSON. */
export const ENCODINGS: Encoding[] = ['br', 'gzip'];
// Brotli at quality 4: zlib's default, 11, takes ~100× longer for a few percent less.
export const BROTLI_OPTIONS: zlib.BrotliOptions = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } };
export const GZIP_OPTIONS: zlib.ZlibOptions = { level: 6 };

/** The encoding to use for this Accept-Encoding header (RFC 9110 §12.5.3), or none. */
export function chooseEncoding(accept: string | undefined): Encoding | undefined {
  if (!accept) return undefined;
  const weights = new Map<string, number>();
  for (const item of accept.split(',')) {
    const [name, ...params] = item.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (encoding: Encoding) => weights.get(encoding) ?? weights.get('*') ?? 0;
  let best: Encoding | undefined;
  for (const encoding of ENCODINGS) if (weightOf(encoding) > 0 && (!best || weightOf(encoding) > weightOf(best))) best = encoding;
  return best;
}

/** The parts compressed as one stream, each flushed as soon as it is written. */
export function compressParts(parts: AsyncIterable<string>, encoding: Encoding): Readable {
  const zip = encoding === 'br' ? zlib.createBrotliCompress(BROTLI_OPTIONS) : zlib.createGzip(GZIP_OPTIONS);
  const kind = encoding === 'br' ? zlib.constants.BROTLI_OPERATION_FLUSH : zlib.constants.Z_SYNC_FLUSH;
  void (async () => {
    try {
      for await (const part of parts) {
        if (zip.destroyed) return; // the client went away
        if (!zip.write(part)) await once(zip, 'drain');
        await new Promise<void>((resolve) => zip.flush(kind, () => resolve()));
      }
      zip.end();
    } catch (error) {
      zip.destroy(error as Error);
    }
  })();
  return zip;
}
