import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitSqlScript } from '../../../server/infra/sql-script.ts';

describe('a migration script cut into statements', () => {
  it('cuts at the semicolons that end statements only', () => {
    const script = `-- a comment; not a statement
CREATE TABLE "A" ("x" TEXT DEFAULT 'a;b', "y;z" INT);
/* block; comment */ INSERT INTO "A" VALUES ('it''s; fine', 1);
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE n int;
BEGIN
  PERFORM pg_notify('c', 'x;y');
  RETURN NULL;
END
$$;
CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;
SELECT $1::int
`;
    expect(splitSqlScript(script)).toEqual([
      `-- a comment; not a statement\nCREATE TABLE "A" ("x" TEXT DEFAULT 'a;b', "y;z" INT)`,
      `/* block; comment */ INSERT INTO "A" VALUES ('it''s; fine', 1)`,
      `CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nDECLARE n int;\nBEGIN\n  PERFORM pg_notify('c', 'x;y');\n  RETURN NULL;\nEND\n$$`,
      'CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$',
      'SELECT $1::int',
    ]);
  });

  it('drops what is only comments and blank space', () => {
    expect(splitSqlScript('SELECT 1;\n-- trailing note\n')).toEqual(['SELECT 1']);
  });

  it('keeps the realtime trigger function in one piece', () => {
    const sql = readFileSync(new URL('../../../prisma/migrations/20261206124853_realtime_pending/migration.sql', import.meta.url), 'utf8');
    const fn = splitSqlScript(sql).find((s) => s.startsWith('-- Publishes') || s.includes('CREATE FUNCTION'));
    expect(fn).toMatch(/CREATE FUNCTION "realtime_publish_pending"[\s\S]*END\s*\$\$$/);
  });
});
