// npm run bench [-- name ...]: runs every bench/<name>.bench.ts (or those named), one after another.
import { readdir } from 'node:fs/promises';

const wanted = process.argv.slice(2);
const files = (await readdir(new URL('.', import.meta.url))).filter((f) => f.endsWith('.bench.ts')).sort();
const chosen = wanted.length ? files.filter((f) => wanted.some((w) => f.startsWith(w))) : files;
if (!chosen.length) {
  console.error(`No bench matches ${wanted.join(', ')}; available: ${files.map((f) => f.replace('.bench.ts', '')).join(', ')}`);
  process.exit(2);
}
console.log(`Convene benches on ${(await import('node:os')).cpus().length} cores, Node ${process.version}`);
for (const file of chosen) {
  console.log(`\n=== ${file} ===`);
  const mod = await import(new URL(file, import.meta.url).href);
  await mod.default();
}
