// Which PostgreSQL to use: DATABASE_URL when set, else the embedded one under DATA_DIR.
// Pending migrations are applied either way, before anything else touches the database.
import type { Config } from '../config.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { applyMigrations } from './migrations.ts';

export interface Database {
  url: string;
  embedded: boolean;
  applied: string[];
  stop(): Promise<void>;
}

export async function openDatabase(config: Config, log: (msg: string) => void): Promise<Database> {
  let url = config.databaseUrl;
  let stop = async () => {};
  if (!url) {
    log(`Starting the embedded PostgreSQL (data in ${config.dataDir}/postgres, port ${config.embeddedPgPort})`);
    const db = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort });
    url = db.url;
    stop = db.stop;
  }
  try {
    const applied = await applyMigrations(url);
    if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
    return { url, embedded: !config.databaseUrl, applied, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
