// The API description as an outside client reads it: linted by Redocly with the committed rules
// (redocly.yaml), turned into a typed client that must typecheck with the project's TypeScript,
// and held to what the server enforces (sessions, CSRF). One app, one document, one generation.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { generateApi } from 'swagger-typescript-api';
import { operationIdFor } from '../../server/plugins/openapi.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, signIn } from '../helpers/factories.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'node_modules/.bin');
const run = promisify(execFile);

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: { type?: string };
}
interface Operation {
  operationId?: string;
  description?: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: (Parameter | { $ref: string })[];
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
}
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas?: Record<string, unknown>; parameters?: Record<string, Parameter> } };

let app: TestApp;
let doc: Doc;
let raw: string;
let dir: string;
beforeAll(async () => {
  app = await createTestApp();
  raw = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).body;
  doc = JSON.parse(raw);
  dir = await mkdtemp(path.join(tmpdir(), 'convene-openapi-'));
  await writeFile(path.join(dir, 'openapi.json'), raw);
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);
const operations = () =>
  Object.entries(doc.paths).flatMap(([template, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => ({ template, method, op, name: `${method.toUpperCase()} ${template}` })),
  );
const SAFE = new Set(['get', 'head', 'options']);
/** An operation's parameters, shared ones ($ref to components/parameters) resolved. */
const parametersOf = (op: Operation): Parameter[] =>
  (op.parameters ?? []).map((p) => ('$ref' in p ? doc.components.parameters![p.$ref.split('/').pop()!]! : p));

describe('the API description passes an outside linter', () => {
  it('has no Redocly lint errors under the committed rules, and only the warnings redocly.yaml accepts', async () => {
    const config = path.join(ROOT, 'redocly.yaml');
    const { stdout } = await run(path.join(BIN, 'redocly'), [
      'lint',
      path.join(dir, 'openapi.json'),
      '--config',
      config,
      '--format=json',
      '--max-problems=10000',
    ]).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    const problems: { ruleId: string; severity: string; message: string; location: { pointer?: string }[] }[] = JSON.parse(stdout).problems;
    const show = (p: (typeof problems)[number]) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`;
    expect(problems.filter((p) => p.severity === 'error').map(show)).toEqual([]);
    // Every warning the document may raise is named in redocly.yaml with its reason, and no more of them.
    const rules: Record<string, unknown> = parseYaml(await readFile(config, 'utf8')).rules;
    const accepted = Object.keys(rules).filter((rule) => rules[rule] === 'warn');
    expect(accepted.sort()).toEqual(Object.keys(ACCEPTED_WARNINGS).sort());
    const warnings = problems.filter((p) => p.severity === 'warn');
    expect(warnings.filter((p) => !accepted.includes(p.ruleId)).map(show)).toEqual([]);
    for (const [rule, limit] of Object.entries(ACCEPTED_WARNINGS)) expect(warnings.filter((p) => p.ruleId === rule).length, rule).toBeLessThanOrEqual(limit);
  }, 30_000);
});

/** The warnings redocly.yaml accepts (its reasons are there), with how many of each the document may raise. */
const ACCEPTED_WARNINGS: Record<string, number> = { 'no-server-example.com': 1, 'operation-4xx-response': 1 };

describe('operations', () => {
  it('each has a unique operationId derived from its method and path', () => {
    const ops = operations();
    expect(ops.filter((o) => !o.op.operationId).map((o) => o.name)).toEqual([]);
    const ids = ops.map((o) => o.op.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const byId = Object.fromEntries(ops.map((o) => [o.op.operationId, o.name]));
    expect(byId).toMatchObject({
      getGroups: 'GET /api/groups',
      getGroup: 'GET /api/groups/{slug}',
      patchGroup: 'PATCH /api/groups/{slug}',
      postGroupDocumentRevisionComments: 'POST /api/groups/{slug}/documents/{documentId}/revisions/{sequence}/comments',
      getGroupDocumentDispositionTableDocx: 'GET /api/groups/{slug}/documents/{documentId}/disposition-table.docx',
      postAdminDeliveryRetry: 'POST /api/admin/deliveries/{deliveryId}/retry',
      getCalendarIcs: 'GET /calendar/{token}.ics',
    });
  });

  it('derives the same operationId from Fastify and OpenAPI spellings of a path', () => {
    expect(operationIdFor('GET', '/api/groups/:slug/documents/:documentId/comments/:commentId/disposition')).toBe('getGroupDocumentCommentDisposition');
    expect(operationIdFor('get', '/api/groups/{slug}/documents/{documentId}/comments/{commentId}/disposition')).toBe('getGroupDocumentCommentDisposition');
    expect(operationIdFor('DELETE', '/api/auth/sessions/:sessionId')).toBe('deleteAuthSession');
    expect(operationIdFor('GET', '/api/admin/deliveries')).toBe('getAdminDeliveries');
  });

  it('each has a description, and so does every parameter', () => {
    const ops = operations();
    expect(ops.filter((o) => !o.op.description?.trim()).map((o) => o.name)).toEqual([]);
    const params = ops.flatMap((o) => parametersOf(o.op).map((p) => ({ ...p, at: `${o.name} ${p.in} ${p.name}` })));
    expect(params.length).toBeGreaterThan(150);
    expect(params.filter((p) => !p.description?.trim()).map((p) => p.at)).toEqual([]);
  });
});

describe('security', () => {
  it('names on every operation what it needs: nothing, a session, or a session and the CSRF header for writes', () => {
    const ops = operations();
    expect(ops.filter((o) => !Array.isArray(o.op.security)).map((o) => o.name)).toEqual([]);
    const security = Object.fromEntries(ops.map((o) => [o.name, o.op.security]));
    expect(security).toMatchObject({
      'GET /api/health': [],
      'POST /api/auth/sign-in': [],
      'GET /calendar/{token}.ics': [],
      'GET /api/public/groups/{slug}/documents/{documentId}/final': [],
      'GET /api/groups/{slug}': [{ session: [] }],
      'PATCH /api/groups/{slug}': [{ session: [], csrf: [] }],
      // The archive of a group that publishes its outputs is readable without signing in.
      'GET /api/groups/{slug}/digests': [{ session: [] }, {}],
    });
  });

  it('matches what the server enforces: anonymous reads of session routes answer 401, writes without the CSRF header answer 403', async () => {
    const { group, convener } = await createCastedGroup(app);
    const session = await signIn(app, convener.email);
    const mismatches: string[] = [];
    for (const { template, method, op, name } of operations()) {
      const url = exampleUrl(template, op, group.slug);
      const needsSession = op.security!.length > 0 && op.security!.every((s) => 'session' in s);
      const needsCsrf = op.security!.some((s) => 'csrf' in s);
      if (SAFE.has(method)) {
        const anonymous = await app.inject({ method: method.toUpperCase() as 'GET', url });
        if ((anonymous.statusCode === 401) !== needsSession)
          mismatches.push(`${name}: anonymous ${anonymous.statusCode}, documented ${JSON.stringify(op.security)}`);
      } else {
        const withoutToken = await send(method, url, { cookie: session.cookie });
        const refused = withoutToken.statusCode === 403 && withoutToken.json().code === 'csrf_token_invalid';
        if (refused !== needsCsrf) mismatches.push(`${name}: without CSRF header ${withoutToken.statusCode}, documented ${JSON.stringify(op.security)}`);
        if (needsCsrf && !needsSession) mismatches.push(`${name}: CSRF without a session`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 60_000);
});

const send = (method: string, url: string, headers: Record<string, string>) =>
  app.inject({ method: method.toUpperCase() as 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: '{}' });

/** A URL for the operation: the real group, well-formed ids that match nothing, the required query. */
function exampleUrl(template: string, op: Operation, slug: string) {
  const query = parametersOf(op)
    .filter((p) => p.in === 'query' && p.required)
    .map((p) => `${p.name}=${p.schema?.type === 'integer' || p.schema?.type === 'number' ? 1 : 'x'}`);
  const url = template
    .replace('{slug}', slug)
    .replace('{sequence}', '1')
    .replace(/\{[^}]+\}/g, '00000000-0000-7000-8000-000000000000');
  return query.length ? `${url}?${query.join('&')}` : url;
}

describe('schemas', () => {
  it('names the shared and resource schemas as components and refers to them instead of copying them', () => {
    const names = Object.keys(doc.components.schemas ?? {});
    expect(names).toEqual(expect.arrayContaining(['Error', 'Group', 'Member', 'Milestone', 'Comment', 'Revision', 'Disposition']));
    expect(doc.paths['/api/groups/{slug}']!.get!.responses['200']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/Group' });
    // Every error answer is the one shared Error response.
    expect(doc.paths['/api/groups/{slug}']!.get!.responses['4XX']).toEqual({ $ref: '#/components/responses/Error' });
    // Every component is used (directly or through another component).
    const used = new Set([...raw.matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]));
    expect(names.filter((n) => !used.has(n))).toEqual([]);
    // Path parameters spelled alike are one shared parameter.
    expect(doc.paths['/api/groups/{slug}']!.get!.parameters).toEqual([{ $ref: '#/components/parameters/Slug' }]);
    expect(doc.components.parameters!.Slug).toMatchObject({ in: 'path', name: 'slug', required: true, description: expect.any(String) });
    // Before components: 248 KB of inlined copies (128 KB after). Measured per operation, so the
    // check keeps catching copies as the API grows (about 1.45 KB each in 2026-12).
    const operations = Object.values(doc.paths).flatMap((item) => Object.keys(item ?? {})).length;
    expect(raw.length / operations).toBeLessThan(1_600);
  });

  it('types file downloads with their media type as binary, not as JSON strings', () => {
    const downloads = operations().filter((o) => /\.(docx|csv|ics)$/.test(o.template));
    expect(downloads.length).toBeGreaterThanOrEqual(5);
    const MEDIA: Record<string, string> = {
      docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      csv: 'text/csv',
      ics: 'text/calendar',
    };
    for (const { template, op, name } of downloads) {
      const content = op.responses['200']!.content!;
      expect(Object.keys(content), name).toEqual([MEDIA[template.split('.').pop()!]]);
      expect(Object.values(content)[0]!.schema, name).toEqual({ type: 'string', format: 'binary' });
    }
  });
});

describe('a typed client generated from the description', () => {
  it('is generated by swagger-typescript-api and typechecks against a program that uses it', async () => {
    const out = path.join(dir, 'client');
    await generateApi({
      input: path.join(dir, 'openapi.json'),
      output: out,
      fileName: 'api.ts',
      httpClientType: 'fetch',
      moduleNameFirstTag: true,
      silent: true,
    });
    const generated = await readFile(path.join(out, 'api.ts'), 'utf8');
    // A .docx download is typed as bytes and its answer is left for the caller to read (blob()),
    // not parsed as JSON as a JSON string was.
    const docxCall = /getGroupDocumentDispositionTableDocx: \([\s\S]*?\}\),/.exec(generated)?.[0] ?? '';
    expect(docxCall).toContain('this.request<Blob, Error>');
    expect(docxCall).not.toContain('format: "json"');
    await writeFile(path.join(dir, 'program.ts'), CLIENT_PROGRAM);
    await writeFile(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: 'esnext',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          lib: ['esnext', 'dom'],
          types: [],
          noEmit: true,
          skipLibCheck: true,
          allowImportingTsExtensions: true,
        },
        files: ['program.ts'],
      }),
    );
    const result = await run(path.join(BIN, 'tsc'), ['-p', path.join(dir, 'tsconfig.json')]).then(
      () => '',
      (error: { stdout?: string }) => error.stdout || String(error),
    );
    expect(result).toBe('');
  }, 60_000);
});

// Calls a few operations with typed bodies and reads typed answers; the @ts-expect-error lines
// prove the types are not `any`.
const CLIENT_PROGRAM = `
import { Api } from './client/api.ts';

export async function use(api: Api<unknown>) {
  const session = await api.auth.getAuthSession();
  const csrf: string = session.data.csrfToken ?? '';
  const group = await api.groups.getGroup('cg-iotsec', { headers: { 'x-csrf-token': csrf } });
  const name: string = group.data.name;
  await api.groups.patchGroup('cg-iotsec', { visibility: 'public_outputs', timeZone: 'Europe/Zurich' });
  // @ts-expect-error a group's visibility is private or public_outputs
  await api.groups.patchGroup('cg-iotsec', { visibility: 'everyone' });
  const created = await api.timeframe.postGroupMilestones('cg-iotsec', { at: '2026-04-25T23:59:00Z', kind: 'comments_close', label: 'Comments close' });
  const at: string = created.data.at;
  // @ts-expect-error a milestone has no such field
  created.data.nonsense;
  const docx = await api.dispositions.getGroupDocumentDispositionTableDocx('cg-iotsec', 'a-document-id', { revision: 2 });
  const file: Blob = await docx.blob();
  return { name, at, file };
}
`;
