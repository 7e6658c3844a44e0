// Backups: `npm run db:backup` of a database with groups, revisions, comments and dispositions
// (and pending jobs), then `npm run db:restore` into a new, empty database, which must hold
// every one of them again; a non-empty target is refused.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { applyMigrations } from '../../server/infra/migrations.ts';
import { findPgClient, restoreDatabase } from '../../server/infra/backup.ts';
import { testConfig, type TestApp } from '../helpers/app.ts';
import { adjudicationScene } from '../helpers/dispositions.ts';

const run = promisify(execFile);
const databases: string[] = [];
let dir: string;
let source: string;
let app: TestApp;

async function freshDatabase(prefix: string) {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: inject('databaseUrl') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  databases.push(name);
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

/** Every table's rows, as the comparison of source and restore sees them. */
async function snapshot(url: string, jobsSchema: string) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const q = async (sql: string) => (await db.query(sql)).rows;
    return {
      groups: await q('SELECT id, slug, name, "parentBodies" FROM "Group" ORDER BY id'),
      memberships: await q('SELECT "groupId", "userId", role FROM "Membership" ORDER BY id'),
      revisions: await q('SELECT id, "documentId", sequence, label FROM "Revision" ORDER BY id'),
      clauses: await q('SELECT id, number, html FROM "Clause" ORDER BY id'),
      comments: await q('SELECT id, "parentId", "authorId", body, "bodyHtml", "createdAt" FROM "Comment" ORDER BY id'),
      dispositions: await q('SELECT id, "commentId", code, status, rationale, version FROM "Disposition" ORDER BY id'),
      audit: await q('SELECT id, action, "before", "after" FROM "AuditEntry" ORDER BY id'),
      streams: await q('SELECT key, "lastSeq" FROM "RealtimeStream" ORDER BY key'),
      jobs: await q(`SELECT id, name, state, data FROM "${jobsSchema}".job ORDER BY id`),
    };
  } finally {
    await db.end();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'convene-backup-'));
  source = await freshDatabase('backup_src');
  await applyMigrations(source);
  app = await buildApp({ config: testConfig({ JOBS_WORKERS: 'false' }), databaseUrl: source });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  const admin = new pg.Client({ connectionString: inject('databaseUrl') });
  await admin.connect();
  for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
  await rm(dir, { recursive: true, force: true });
});

const npm = (script: string, args: string[], env: Record<string, string>) =>
  run('npm', ['run', '--silent', script, '--', ...args], { env: { PATH: process.env.PATH!, ...env }, timeout: 120_000 });

describe('npm run db:backup and db:restore', () => {
  it('restore a backup into a new database with every group, revision, comment and disposition, and its pending jobs', async () => {
    // Two adjudicated groups with replies (a thread refers to its parent: load order must not matter).
    for (const scene of [await adjudicationScene(app), await adjudicationScene(app)]) {
      const { c1, c2, c3 } = scene.comments;
      await app.prisma.disposition.createMany({
        data: [
          { commentId: c1.id, documentId: scene.document.id, code: 'ACCEPTED', status: 'FINAL', version: 2, finalisedAt: new Date(), updatedAt: new Date() },
          {
            commentId: c2.id,
            documentId: scene.document.id,
            code: 'REJECTED',
            status: 'PROPOSED',
            rationale: 'Out of scope.',
            version: 1,
            updatedAt: new Date(),
          },
          { commentId: c3.id, documentId: scene.document.id, status: 'UNDECIDED', assigneeId: scene.editor.id, version: 1, updatedAt: new Date() },
        ],
      });
    }
    await app.prisma.auditEntry.create({
      data: { action: 'backup.checked', entityType: 'test', entityId: 'backup', after: { note: 'a row with a sequence id' } },
    });
    await app.jobs.boss.createQueue('backup.pending');
    await app.jobs.send('backup.pending', { note: 'due later' }, { startAfter: 3600 });
    const jobsSchema = app.config.jobs.schema;
    const before = await snapshot(source, jobsSchema);
    expect(before.groups.length).toBe(2);
    expect(before.dispositions.length).toBeGreaterThan(0);
    expect(before.comments.some((c) => c.parentId)).toBe(true);

    const file = path.join(dir, 'convene.backup');
    const backup = await npm('db:backup', [file], { DATABASE_URL: source });
    // Progress, table by table; here with Convene's own format (no pg_dump for PostgreSQL 18 on this machine).
    expect(backup.stdout).toMatch(/\[\d+\/\d+\] public\.Comment: \d+ rows/);
    expect(backup.stdout).toContain(`Backup written to ${file}`);

    const target = await freshDatabase('backup_dst');
    const restore = await npm('db:restore', [file, `--into=${target}`], {});
    expect(restore.stdout).toMatch(/\[\d+\/\d+\] public\.Disposition: \d+ rows/);
    expect(restore.stdout).toContain('Restored in');

    const after = await snapshot(target, jobsSchema);
    expect(after).toEqual(before);
    // The restored database takes new writes: its sequences continue after the restored ids.
    const db = new pg.Client({ connectionString: target });
    await db.connect();
    try {
      const { rows } = await db.query(`INSERT INTO "AuditEntry" (action, "entityType", "entityId") VALUES ('x', 'y', 'z') RETURNING id`);
      expect(BigInt(rows[0].id)).toBeGreaterThan(BigInt(before.audit.at(-1)!.id));
    } finally {
      await db.end();
    }

    // Never over live data (the script exits 1 with this sentence).
    await expect(restoreDatabase({ url: target, file })).rejects.toThrow('The target database is not empty');
  }, 120_000);

  it('uses pg_dump only when it is at least as new as the server', async () => {
    expect(await findPgClient(99, process.env.PATH)).toBeNull();
    // Debian's client (15) where installed; none is also an answer the backup copes with.
    const found = await findPgClient(1, process.env.PATH);
    expect(found === null || (/pg_dump$/.test(found.dump) && found.major >= 1)).toBe(true);
  });
});
