// Compressed API answers for participants on slow connections: a document's comment export is
// hundreds of KB of JSON. Brotli at quality 4 (zlib's default, 11, takes ~100× longer for a few
// percent less), gzip for the rest; small answers (most writes) are sent as they are. The client's
// files are precompressed at build time and already carry their encoding, so they pass untouched;
// the document page opts out (modules/client-shell: it streams its head before its data, which a
// compressor would hold back).
import zlib from 'node:zlib';
import fp from 'fastify-plugin';
import compress from '@fastify/compress';

export default fp(async (app) => {
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
  });
}, { name: 'compression' });
