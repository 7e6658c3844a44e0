// npm run db:migrate — applies pending migrations to the configured database (start does this too).
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/infra/database.ts';

const database = await openDatabase(loadConfig(), console.log);
console.log(database.applied.length ? `Applied ${database.applied.length} migration(s).` : 'The database is up to date.');
await database.stop();
