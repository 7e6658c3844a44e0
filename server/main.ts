// `npm start`: validate configuration, open the database (embedded by default), apply
// migrations, repair stored comment HTML an older renderer got wrong, load the demo groups on
// first start, serve, and shut down gracefully.
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './infra/database.ts';
import { releaseExitHooks } from './infra/embedded-postgres.ts';
import { loadSeed } from './seed/load-seed.ts';
import { repairCommentHtml } from './modules/comments/repair-comment-html.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78); // EX_CONFIG
  }
  throw err;
}

const database = await openDatabase(config, (msg) => console.log(msg));
const app = await buildApp({ config, databaseUrl: database.url });

const repaired = await repairCommentHtml(app.ctx);
if (repaired) app.log.warn(`Rendered ${repaired} stored comment text(s) again (raw HTML after an inline <pre>/<code>/<kbd>/<script> tag)`);

if (config.seed === 'auto' && (await app.prisma.group.count()) === 0) {
  const created = await loadSeed(app.ctx);
  app.log.info(`Loaded demo groups: ${created.join(', ')}`);
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  app.log.info(`${signal} received: closing (grace ${config!.shutdownGraceMs} ms)`);
  const timer = setTimeout(() => {
    app.log.error('graceful shutdown timed out; exiting');
    process.exit(1);
  }, config!.shutdownGraceMs);
  timer.unref();
  try {
    // Answer or finish every request on open connections before the plugins close (the database last).
    await app.drain.run({ windowMs: Math.min(config!.shutdownDrainMs, config!.shutdownGraceMs / 2) });
    await app.close();
    await database.stop();
    process.exit(0);
  } catch (err) {
    app.log.error({ err }, 'error during shutdown');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
releaseExitHooks();

await app.listen({ host: config.host, port: config.port });
app.log.info(`Convene is ready at ${config.publicUrl} (mail: ${app.mailer.mode === 'smtp' ? 'SMTP' : 'local mailbox at /mailbox'})`);
