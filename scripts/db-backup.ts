// npm run db:backup [-- <file>] [--tool=auto|pg_dump|convene]
// Backs up the database Convene uses (DATABASE_URL, or the embedded one, which must be running:
// start Convene first) to <file> (default: DATA_DIR/backups/convene-<timestamp>.backup).
// pg_dump's custom format when a pg_dump as new as the server is found, else Convene's own
// (server/infra/backup.ts). Prints its progress table by table. Restore with `npm run db:restore`.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../server/config.ts';
import { backupDatabase } from '../server/infra/backup.ts';
import { databaseUrlFor } from './db-url.ts';

const args = process.argv.slice(2);
const tool = (args.find((a) => a.startsWith('--tool='))?.slice(7) ?? 'auto') as 'auto' | 'pg_dump' | 'convene';
if (!['auto', 'pg_dump', 'convene'].includes(tool)) {
  console.error('--tool must be auto, pg_dump or convene');
  process.exit(2);
}
const config = loadConfig();
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, 'Z');
const file = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.join(config.dataDir, 'backups', `convene-${stamp}.backup`));
await mkdir(path.dirname(file), { recursive: true });
try {
  const started = Date.now();
  const result = await backupDatabase({ url: databaseUrlFor(config), file, tool, searchPath: process.env.PATH, progress: (line) => console.log(line) });
  console.log(
    `Backup written to ${result.file} (${result.tool === 'pg_dump' ? 'pg_dump custom format' : 'Convene format'}) in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
} catch (err) {
  console.error(`Backup failed: ${(err as Error).message}`);
  process.exit(1);
}
