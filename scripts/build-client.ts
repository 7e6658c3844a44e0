// `npm run build:client`: builds the browser client into client/dist with Vite, then writes
// .br and .gz twins of every text asset (served as they are by @fastify/static, see server/app.ts).
// Skips the build when the inputs have not changed since the last one (a stamp in client/dist),
// so `npm start` and `npm test` can always call it. `--force` builds anyway.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const clientDir = path.join(root, 'client');
const distDir = path.join(clientDir, 'dist');
const stampFile = path.join(distDir, '.build-stamp');
const INPUTS = ['client/index.html', 'client/vite.config.ts', 'client/tsconfig.json', 'client/src', 'client/public', 'locales', 'package-lock.json'];
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/;

async function listFiles(relative: string): Promise<string[]> {
  const full = path.join(root, relative);
  const info = await stat(full).catch(() => null);
  if (!info) return [];
  if (!info.isDirectory()) return [relative];
  const entries = await readdir(full, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

/** A hash of every input file's path and content: the build is stale when it changes. */
async function inputsHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of await listFiles(input)) {
      hash
        .update(file)
        .update('\0')
        .update(await readFile(path.join(root, file)))
        .update('\0');
    }
  }
  return hash.digest('hex');
}

async function precompress(): Promise<void> {
  const gzip = promisify(zlib.gzip);
  const brotli = promisify(zlib.brotliCompress);
  const files = (await listFiles('client/dist')).filter((f) => COMPRESSIBLE.test(f));
  await Promise.all(
    files.map(async (file) => {
      const body = await readFile(path.join(root, file));
      await writeFile(path.join(root, `${file}.gz`), await gzip(body, { level: 9 }));
      await writeFile(path.join(root, `${file}.br`), await brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
    }),
  );
}

/** Builds the client unless client/dist is already built from the current inputs. */
export async function ensureClientBuilt(options: { force?: boolean; log?: (line: string) => void } = {}): Promise<{ built: boolean }> {
  const log = options.log ?? (() => {});
  const hash = await inputsHash();
  const previous = await readFile(stampFile, 'utf8').catch(() => '');
  if (!options.force && previous.trim() === hash) {
    log('client/dist is up to date');
    return { built: false };
  }
  const started = performance.now();
  const { build } = await import('vite');
  // Vite keeps a NODE_ENV it finds set (vitest sets 'test'), which would bundle React's development
  // build (twice the size, much slower): the shipped client is always a production build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(clientDir, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  await precompress();
  await writeFile(stampFile, `${hash}\n`);
  log(`client built into client/dist in ${Math.round(performance.now() - started)} ms`);
  return { built: true };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureClientBuilt({ force: process.argv.includes('--force'), log: (line) => console.log(line) });
}
