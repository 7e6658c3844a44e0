// Walks every route in the OpenAPI document with malformed input, as each kind of user, and
// checks that no client mistake ever produces a 5xx. New routes are covered automatically.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { adjudicationScene, sessionFor } from '../helpers/dispositions.ts';
import { createCastedGroup, createUser, type Session } from '../helpers/factories.ts';
import { toErrorResponse } from '../../server/plugins/errors.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

const BAD_BODIES: unknown[] = [
  {},
  { unknown: 1 },
  [],
  'text',
  42,
  null,
  { email: 5, name: [], at: 'yesterday', role: {}, body: { x: 1 } },
  // Text PostgreSQL cannot store: NUL, and an unpaired surrogate.
  { name: 'N\u0000', body: 'b\u0000', title: 't\ud800', reason: 'r\u0000' },
];

describe('robustness', () => {
  it('answers malformed requests to every route with a 4xx and a { code, message } body', async () => {
    const { group, convener } = await createCastedGroup(app);
    const operator = await createUser(app, { isOperator: true });
    const sessions: (Session | null)[] = [null, await sessionFor(app, convener.email), await sessionFor(app, operator.email)];
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const failures: string[] = [];
    let requests = 0;
    for (const [template, ops] of Object.entries<Record<string, unknown>>(doc.paths)) {
      for (const method of Object.keys(ops)) {
        if (template.includes('/auth/sign-in')) continue; // rate limited per address; covered by auth tests
        const paths = [
          template.replace('{slug}', group.slug).replace(/\{[^}]+\}/g, 'not-a-valid-id'),
          template.replace('{slug}', group.slug).replace(/\{[^}]+\}/g, '00000000-0000-7000-8000-000000000000'),
          template.replace(/\{[^}]+\}/g, '%00%ff'),
        ];
        for (const url of paths) {
          for (const session of sessions) {
            const bodies = method === 'get' || method === 'delete' ? [undefined] : BAD_BODIES;
            for (const body of bodies) {
              const res = await app.inject({
                method: method.toUpperCase() as 'GET',
                url: `${url}?limit=-1&cursor=%zz`,
                headers: { ...(session?.headers ?? {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
                payload: body === undefined ? undefined : JSON.stringify(body),
              });
              requests++;
              if (res.statusCode >= 500) failures.push(`${method.toUpperCase()} ${url} ${JSON.stringify(body)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
              else if (res.statusCode >= 400 && res.headers['content-type']?.includes('json')) {
                const b = res.json();
                if (typeof b.code !== 'string' || typeof b.message !== 'string')
                  failures.push(`${method.toUpperCase()} ${url} → ${res.statusCode} without code/message: ${res.body.slice(0, 200)}`);
              }
            }
          }
        }
      }
    }
    expect(requests).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  }, 60_000);

  it('answers boundary integers in every integer path, query and body field with a 4xx, naming the field beyond PostgreSQL integer', async () => {
    const scene = await adjudicationScene(app);
    const milestone = await app.prisma.milestone.create({
      data: { groupId: scene.group.id, at: new Date(Date.now() + 86_400_000), kind: 'MEETING', label: 'Walk' },
    });
    const operator = await createUser(app, { isOperator: true });
    const sessions = [await sessionFor(app, scene.convener), await sessionFor(app, operator)];
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as OpenApiDoc;
    const ids: Record<string, string> = {
      slug: scene.slug,
      documentId: scene.document.id,
      commentId: scene.comments.c1.id,
      periodId: scene.period.id,
      milestoneId: milestone.id,
      userId: scene.participant.id,
    };
    const failures: string[] = [];
    const walked = new Set<string>();
    let requests = 0;

    async function send(method: string, url: string, payload: string | undefined, field: { name: string; integer: boolean }, literal: string) {
      for (const session of sessions) {
        const res = await app.inject({
          method: method.toUpperCase() as 'GET',
          url,
          headers: { ...session.headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
          payload,
        });
        requests++;
        const what = `${method.toUpperCase()} ${url} ${payload ?? ''} → ${res.statusCode} ${res.body.slice(0, 200)}`;
        if (res.statusCode >= 500) failures.push(what);
        else if (field.integer && OUT_OF_INT4.has(literal)) {
          const body = res.headers['content-type']?.includes('json') ? res.json() : {};
          if (res.statusCode !== 400 || body.field !== field.name || typeof body.message !== 'string')
            failures.push(`expected 400 naming ${field.name}: ${what}`);
        }
      }
    }

    for (const [template, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!METHODS.has(method) || template.includes('/auth/sign-in')) continue; // sign-in: rate limited per address; covered by auth tests
        const params = [...((ops as { parameters?: Parameter[] }).parameters ?? []), ...(op.parameters ?? [])].map((p) => resolve(doc, p) as Parameter);
        const inPath = params.filter((p) => p.in === 'path');
        const url = (override?: [string, string]) =>
          template.replace(/\{([^}]+)\}/g, (_, name: string) => {
            if (override?.[0] === name) return encodeURIComponent(override[1]);
            const p = inPath.find((x) => x.name === name);
            return p && isInteger(doc, p.schema) ? '1' : (ids[name] ?? '00000000-0000-7000-8000-000000000000');
          });
        const body = op.requestBody?.content?.['application/json']?.schema;
        const validBody = body ? JSON.stringify(example(doc, body, false)) : undefined;
        // The other required query parameters, valid, so that only the one walked can be wrong.
        const query = (name: string, literal: string) =>
          new URLSearchParams([
            ...params.filter((q) => q.in === 'query' && q.required && q.name !== name).map((q) => [q.name, String(example(doc, q.schema ?? {}, false))]),
            [name, literal],
          ]).toString();
        // Path and query parameters: integers, and the cursors that stand for a number in the database.
        for (const p of params) {
          const integer = isInteger(doc, p.schema);
          if (!integer && !(p.in === 'query' && /cursor|since|seq/i.test(p.name))) continue;
          if (p.in !== 'path' && p.in !== 'query') continue;
          walked.add(`${method} ${template} ${p.in}.${p.name}`);
          for (const literal of integer ? BOUNDARY_INTS : [...BOUNDARY_INTS, ...BIGINT_CURSORS]) {
            const target = p.in === 'path' ? url([p.name, literal]) : `${url()}?${query(p.name, literal)}`;
            await send(method, target, validBody, { name: `${p.in === 'path' ? 'params' : 'querystring'}.${p.name}`, integer }, literal);
          }
        }
        // JSON bodies: a valid body (only what is required, then every field) with one integer set to each boundary.
        if (!body) continue;
        for (const all of [false, true]) {
          for (const path of integerPaths(doc, body, all)) {
            walked.add(`${method} ${template} body.${path.join('.')}`);
            for (const literal of BOUNDARY_INTS) {
              const payload = JSON.stringify(setAt(example(doc, body, all), path, SENTINEL)).replace(`"${SENTINEL}"`, literal);
              await send(method, url(), payload, { name: ['body', ...path].join('.'), integer: true }, literal);
            }
          }
        }
      }
    }
    // The walk must have found the integers the API takes (if the document stops describing them, it walks nothing).
    for (const expected of [
      'path.sequence',
      'query.limit',
      'query.revision',
      'body.expectedVersion',
      'body.revision',
      'body.reminderHours.0',
      'body.items.0.expectedVersion',
      'body.version',
    ]) {
      expect(
        [...walked].some((w) => w.includes(expected)),
        `walked ${expected}: ${[...walked].join('\n')}`,
      ).toBe(true);
    }
    expect(requests).toBeGreaterThan(200);
    expect(failures).toEqual([]);
  }, 120_000);

  it("answers PostgreSQL's value out of range with a 400 should a number slip past the schemas", async () => {
    const failed = async (query: () => Promise<unknown>) =>
      query().then(
        () => {
          throw new Error('the query did not fail');
        },
        (error: unknown) => error,
      );
    const client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    try {
      for (const error of [
        await failed(() => app.prisma.revision.findFirst({ where: { sequence: 2_147_483_648 } })), // Prisma P2020
        await failed(() => app.prisma.$queryRaw`SELECT 2147483647::int + 1`), // a raw query: P2010 with 22003
        await failed(() => client.query('SELECT $1::int', ['2147483648'])), // pg itself
      ]) {
        expect(toErrorResponse(error)).toEqual({
          status: 400,
          body: { code: 'invalid_request', message: 'A number in the request is outside the range this server can store.' },
        });
      }
    } finally {
      await client.end();
    }
  });
});

// Whole numbers at and beyond PostgreSQL's `integer` (int4) and JavaScript's safe integers, as JSON/URL text.
const BOUNDARY_INTS = ['2147483647', '2147483648', '-2147483649', '1e20', '9007199254740993', '-1', '0', '1.5'];
const OUT_OF_INT4 = new Set(['2147483648', '-2147483649', '1e20', '9007199254740993', '1.5']);
// Beyond PostgreSQL's `bigint`, for cursors that are row numbers.
const BIGINT_CURSORS = ['9223372036854775807', '9223372036854775808', '99999999999999999999999'];
const SENTINEL = '__boundary_integer__';

interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  minLength?: number;
  minItems?: number;
  minimum?: number;
  exclusiveMinimum?: number | boolean;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
}
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);

function resolve(doc: unknown, s: unknown): unknown {
  let out = s as { $ref?: string };
  while (out?.$ref)
    out = out.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce(
        (o: Record<string, unknown>, k) => o[k.replaceAll('~1', '/').replaceAll('~0', '~')] as Record<string, unknown>,
        doc as Record<string, unknown>,
      ) as { $ref?: string };
  return out;
}
const types = (s: Schema) => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);
/** The option a body example takes in a union: the first that is not null. */
const option = (doc: unknown, s: Schema) =>
  (s.anyOf ?? s.oneOf ?? s.allOf ?? []).map((o) => resolve(doc, o) as Schema).find((o) => !types(o).includes('null') || types(o).length > 1);
function isInteger(doc: unknown, raw: Schema | undefined): boolean {
  const s = resolve(doc, raw) as Schema | undefined;
  if (!s) return false;
  if (types(s).includes('integer')) return true;
  return (s.anyOf ?? s.oneOf ?? []).some((o) => isInteger(doc, o));
}
function integerPaths(doc: unknown, raw: Schema, all: boolean): (string | number)[][] {
  const s = resolve(doc, raw) as Schema;
  if (isInteger(doc, s)) return [[]];
  const union = option(doc, s);
  if (union) return integerPaths(doc, union, all);
  if (s.properties) return Object.entries(s.properties).flatMap(([k, v]) => integerPaths(doc, v, all).map((p) => [k, ...p]));
  if (s.items) return integerPaths(doc, s.items, all).map((p) => [0, ...p]);
  return [];
}
/** A body the schema accepts: its required fields (or all of them), and every field on the way to an integer. */
function example(doc: unknown, raw: Schema, all: boolean): unknown {
  const s = resolve(doc, raw) as Schema;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (isInteger(doc, s)) return Math.max(typeof s.minimum === 'number' ? s.minimum : 1, 1);
  const union = option(doc, s);
  if (union) return example(doc, union, all);
  const t = types(s).find((x) => x !== 'null') ?? (s.properties ? 'object' : 'string');
  if (t === 'object') {
    const keys = Object.keys(s.properties ?? {}).filter((k) => all || s.required?.includes(k) || integerPaths(doc, s.properties![k]!, all).length);
    return Object.fromEntries(keys.map((k) => [k, example(doc, s.properties![k]!, all)]));
  }
  if (t === 'array') return (s.minItems ?? 0) > 0 || (s.items && integerPaths(doc, s.items, all).length) ? [example(doc, s.items ?? {}, all)] : [];
  if (t === 'number') return 1;
  if (t === 'boolean') return true;
  if (s.format === 'uuid') return '00000000-0000-7000-8000-000000000000';
  if (s.format === 'date-time') return new Date(Date.now() + 7 * 86_400_000).toISOString();
  if (s.format === 'email') return 'walk@example.test';
  if (s.format === 'date') return '2019-11-29';
  return 'x'.repeat(Math.max(s.minLength ?? 1, 1));
}
function setAt(value: unknown, path: (string | number)[], leaf: unknown): unknown {
  if (!path.length) return leaf;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head!] = setAt(copy[head!], rest, leaf);
  return copy;
}
