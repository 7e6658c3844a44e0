// Compressed API answers for participants on slow connections: a document's comment export is
// hundreds of KB of JSON. Brotli at quality 4 (zlib's default, 11, takes ~100× longer for a few
// percent less), gzip for the rest; small answers (most writes) are sent as they are. The client's
// files are precompressed at build time and already carry their encoding, so they pass untouched;
// the document page opts out (modules/client-shell: it streams its head before its data, which a
// compressor would hold back). Only reads are compressed: a write answers with the one thing it
// wrote (well under a few KB), and the plugin's hooks were a tenth of a comment POST's CPU. Request
// bodies are never compressed by our clients, so request decompression is off.
import zlib from 'node:zlib';
import fp from 'fastify-plugin';
import compress from '@fastify/compress';

const READS = new Set(['GET', 'HEAD']);

export default fp(async (app) => {
  // Runs before the plugin's own onRoute hook (hooks run in the order they were added).
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.compress === undefined && !methods.some((m) => READS.has(m))) route.compress = false;
  });
  await app.register(compress, {
    global: true,
    globalDecompression: false,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
  });
}, { name: 'compression' });
