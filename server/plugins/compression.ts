// Compressed API answers for participants on slow connections: a document's comment export is
// hundreds of KB of JSON. Brotli at quality 4 (lib/streamed-compression.ts), gzip for the rest;
// small answers (most writes) are sent as they are. The client's files are precompressed at build
// time and already carry their encoding, so they pass untouched; the document page compresses
// itself (modules/client-shell: it streams its head before its data, which this plugin's
// compressor would hold back; lib/streamed-compression.ts flushes each part). Only reads are
// compressed: a write answers with the one thing it wrote (well under a few KB), and the plugin's
// hooks were a tenth of a comment POST's CPU. Request bodies are never compressed by our clients,
// so request decompression is off.
import fp from 'fastify-plugin';
import compress from '@fastify/compress';
import { BROTLI_OPTIONS, ENCODINGS, GZIP_OPTIONS } from '../lib/streamed-compression.ts';

const READS = new Set(['GET', 'HEAD']);

export default fp(
  async (app) => {
    // Runs before the plugin's own onRoute hook (hooks run in the order they were added).
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (route.compress === undefined && !methods.some((m) => READS.has(m))) route.compress = false;
    });
    await app.register(compress, {
      global: true,
      globalDecompression: false,
      threshold: 1024,
      encodings: ENCODINGS,
      brotliOptions: BROTLI_OPTIONS,
      zlibOptions: GZIP_OPTIONS,
    });
  },
  { name: 'compression' },
);
