import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { pendingSchemaChanges, SCHEMA_PATH } from '../../server/infra/migrations.ts';

describe('migrations', () => {
  it('agree with schema.prisma (run `npm run db:migration -- <name>` when this fails)', async () => {
    const drift = await pendingSchemaChanges(inject('databaseUrl'));
    expect(drift, `schema.prisma has changes without a migration:\n${drift}`).toBeNull();
  });

  it('report the SQL a schema change needs (the drift check can fail)', async () => {
    const schema = await readFile(SCHEMA_PATH, 'utf8');
    const changed = schema.replace('model Group {', 'model Group {\n  colour String?');
    const drift = await pendingSchemaChanges(inject('databaseUrl'), changed);
    expect(drift).toMatch(/ALTER TABLE "Group" ADD COLUMN\s+"colour" TEXT/);
  });

  it('are recorded in _prisma_migrations as prisma migrate deploy would', async () => {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT migration_name, finished_at FROM _prisma_migrations');
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.finished_at)).toBe(true);
    } finally {
      await client.end();
    }
  });
});
