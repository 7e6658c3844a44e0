// A page streamed in parts and compressed: each part must leave as soon as it is written (the
// document page sends its head while the server still gathers the data), and the whole must
// decode to the parts joined.
import { once } from 'node:events';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, compressParts } from '../../../server/lib/streamed-compression.ts';

describe('chooseEncoding', () => {
  it('prefers brotli, then gzip, honouring q-values and refusals', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip, deflate')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0.2, gzip;q=0.8')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*, br;q=0')).toBe('gzip');
    expect(chooseEncoding('identity')).toBeUndefined();
    expect(chooseEncoding('gzip;q=0, br;q=0')).toBeUndefined();
    expect(chooseEncoding('')).toBeUndefined();
    expect(chooseEncoding(undefined)).toBeUndefined();
  });
});

describe('compressParts', () => {
  for (const encoding of ['br', 'gzip'] as const) {
    it(`sends each part as soon as it is written, before the next is ready (${encoding})`, async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      async function* parts() {
        yield '<head>the head</head>';
        await gate;
        yield '<body>the data</body>';
      }
      const decoder = encoding === 'br' ? zlib.createBrotliDecompress() : zlib.createGunzip();
      compressParts(parts(), encoding).pipe(decoder);
      let text = '';
      decoder.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
      });
      // The head decodes while the data is still held back by the gate.
      while (!text.includes('the head')) await once(decoder, 'data');
      expect(text).toBe('<head>the head</head>');
      release();
      await once(decoder, 'end');
      expect(text).toBe('<head>the head</head><body>the data</body>');
    });
  }

  it('ends the stream with the error when a part fails', async () => {
    async function* parts() {
      yield 'head';
      throw new Error('no data');
    }
    const stream = compressParts(parts(), 'gzip');
    stream.resume();
    const [error] = await once(stream, 'error');
    expect((error as Error).message).toBe('no data');
  });
});
