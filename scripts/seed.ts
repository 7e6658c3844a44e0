// npm run db:seed — loads the demo groups into the configured database (idempotent).
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase } from '../server/infra/database.ts';
import { loadSeed } from '../server/seed/load-seed.ts';

const config = loadConfig();
const database = await openDatabase(config, console.log);
const app = await buildApp({ config, databaseUrl: database.url, logger: false });
const created = await loadSeed(app.ctx);
console.log(created.length ? `Loaded: ${created.join(', ')}` : 'The demo groups are already there.');
await app.close();
await database.stop();
