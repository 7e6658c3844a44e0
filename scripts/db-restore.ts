// npm run db:restore -- <file> [--into=<postgresql://… of a new, empty database>]
// Restores a backup made by `npm run db:backup` into a new, empty database (default: DATABASE_URL).
// Refuses a database that already holds tables: restoring over live data would merge two histories.
// Prints its progress table by table; the restore is one transaction (all or nothing).
import { loadConfig } from '../server/config.ts';
import { restoreDatabase } from '../server/infra/backup.ts';
import { databaseUrlFor } from './db-url.ts';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  console.error('Usage: npm run db:restore -- <backup file> [--into=postgresql://user:password@host/new_database]');
  process.exit(2);
}
const config = loadConfig();
const url = args.find((a) => a.startsWith('--into='))?.slice(7) ?? databaseUrlFor(config);
try {
  const started = Date.now();
  await restoreDatabase({ url, file, searchPath: process.env.PATH, progress: (line) => console.log(line) });
  console.log(`Restored in ${((Date.now() - started) / 1000).toFixed(1)} s. Start Convene with DATABASE_URL pointing at this database.`);
} catch (err) {
  console.error(`Restore failed: ${(err as Error).message}`);
  process.exit(1);
}
