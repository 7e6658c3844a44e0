// Markdown nested thousands deep (well inside a comment's 20,000 characters) overflowed the
// renderer's stack: a 500. Walks every route that takes Markdown with each deep shape and expects
// 422 markdown_too_deep with nothing stored; every other JSON body field of every route in the
// OpenAPI document gets the same payloads and must never answer 5xx. A body field the OpenAPI
// document describes as Markdown but this file does not walk fails the coverage test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { adjudicationScene, sceneSessions, type Scene } from '../helpers/dispositions.ts';
import type { Session } from '../helpers/factories.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

const alternating = (n: number, open: (i: number) => string, close: (i: number) => string) =>
  `${Array.from({ length: n }, (_, i) => open(i)).join('')}x${Array.from({ length: n }, (_, i) => close(n - 1 - i)).join('')}`;

/** Each shape is under 20,000 characters and, before the fix, overflowed the stack or nearly so. */
const DEEP: Record<string, string> = {
  'block quotes': `${'>'.repeat(5_000)} x`,
  'bullet lists': `${'- '.repeat(5_000)}x`,
  'ordered lists': `${'1. '.repeat(3_000)}x`,
  'quotes in lists': `${'> - '.repeat(2_500)}x`,
  'an emphasis run': `${'*'.repeat(5_000)}x${'*'.repeat(5_000)}`,
  'alternating emphasis': alternating(
    2_000,
    (i) => (i % 2 ? '_a ' : '*a '),
    (i) => (i % 2 ? ' a_' : ' a*'),
  ),
  strikethrough: alternating(
    2_000,
    () => '~a ',
    () => ' a~',
  ),
  brackets: `${'['.repeat(5_000)}x${']'.repeat(5_000)}`,
};

/** The routes that render Markdown, each with the field that carries it and what else a valid body needs. */
interface MarkdownRoute {
  method: 'POST' | 'PATCH';
  template: string;
  field: string;
  who: 'participant' | 'convener';
  body: (scene: Scene) => Record<string, unknown>;
  wrap?: (md: string) => string;
}
const MARKDOWN_ROUTES: MarkdownRoute[] = [
  {
    method: 'POST',
    template: '/api/groups/{slug}/documents/{documentId}/revisions/{sequence}/comments',
    field: 'body',
    who: 'participant',
    body: (s) => ({ type: 'technical', clauseId: s.clause('7.1').id }),
  },
  { method: 'POST', template: '/api/groups/{slug}/documents/{documentId}/comments/{commentId}/replies', field: 'body', who: 'participant', body: () => ({}) },
  { method: 'PATCH', template: '/api/groups/{slug}/documents/{documentId}/comments/{commentId}', field: 'body', who: 'participant', body: () => ({}) },
  {
    method: 'POST',
    template: '/api/groups/{slug}/documents/{documentId}/revisions/preview',
    field: 'source',
    who: 'convener',
    body: () => ({ label: 'Deep' }),
    wrap: (md) => `# 1 Scope\n\n${md}\n`,
  },
  {
    method: 'POST',
    template: '/api/groups/{slug}/documents/{documentId}/revisions',
    field: 'source',
    who: 'convener',
    body: () => ({ label: 'Deep' }),
    wrap: (md) => `# 1 Scope\n\n${md}\n`,
  },
];

const urlOf = (template: string, scene: Scene) =>
  template.replace('{slug}', scene.slug).replace('{documentId}', scene.document.id).replace('{sequence}', '1').replace('{commentId}', scene.comments.c1.id);

interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
}
interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

/** The top-level string properties of an operation's JSON body (through anyOf/oneOf), with their descriptions. */
function stringFields(schema: JsonSchema | undefined): Map<string, string> {
  const fields = new Map<string, string>();
  const visit = (s: JsonSchema | undefined) => {
    if (!s) return;
    for (const [name, property] of Object.entries(s.properties ?? {})) {
      const types = [property.type, ...(property.anyOf ?? []).map((a) => a.type)].flat();
      if (types.includes('string')) fields.set(name, `${fields.get(name) ?? ''} ${property.description ?? ''}`);
    }
    for (const branch of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) visit(branch);
  };
  visit(schema);
  return fields;
}

const toOpenApiPath = (template: string) => template;

describe('Markdown nested too deep', () => {
  let openapi: OpenApi;
  beforeAll(async () => {
    openapi = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  });

  it('walks every body field the API document describes as Markdown', () => {
    const walked = new Set(MARKDOWN_ROUTES.map((r) => `${r.method} ${r.template} ${r.field}`));
    const described: string[] = [];
    for (const [path, operations] of Object.entries(openapi.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const schema = operation.requestBody?.content?.['application/json']?.schema;
        for (const [field, description] of stringFields(schema)) {
          if (/markdown/i.test(description)) described.push(`${method.toUpperCase()} ${path} ${field}`);
        }
      }
    }
    expect(described.length).toBeGreaterThanOrEqual(3);
    expect(described.filter((d) => !walked.has(d))).toEqual([]);
    for (const route of MARKDOWN_ROUTES) expect(openapi.paths[toOpenApiPath(route.template)]?.[route.method.toLowerCase()], route.template).toBeDefined();
  });

  it('refuses each deep shape on every Markdown route with 422 markdown_too_deep, storing nothing', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const sessions = await sceneSessions(app, scene);
    const before = {
      comments: await app.prisma.comment.count({ where: { documentId: scene.document.id } }),
      revisions: await app.prisma.revision.count({ where: { documentId: scene.document.id } }),
    };
    const c1Body = scene.comments.c1.body;
    const failures: string[] = [];
    for (const route of MARKDOWN_ROUTES) {
      const session: Session = sessions[route.who];
      for (const [shape, md] of Object.entries(DEEP)) {
        const started = performance.now();
        const res = await app.inject({
          method: route.method,
          url: urlOf(route.template, scene),
          headers: session.headers,
          payload: { ...route.body(scene), [route.field]: route.wrap ? route.wrap(md) : md },
        });
        const ms = performance.now() - started;
        const body = res.headers['content-type']?.includes('json') ? res.json() : {};
        if (res.statusCode !== 422 || body.code !== 'markdown_too_deep' || !/levels deep/.test(body.message)) {
          failures.push(`${route.method} ${route.template} with ${shape} → ${res.statusCode} ${res.body.slice(0, 160)}`);
        }
        if (ms > 1_000) failures.push(`${route.method} ${route.template} with ${shape} took ${Math.round(ms)} ms`);
      }
    }
    expect(failures).toEqual([]);
    expect(await app.prisma.comment.count({ where: { documentId: scene.document.id } })).toBe(before.comments);
    expect(await app.prisma.revision.count({ where: { documentId: scene.document.id } })).toBe(before.revisions);
    expect((await app.prisma.comment.findUniqueOrThrow({ where: { id: scene.comments.c1.id } })).body).toBe(c1Body);
  }, 60_000);

  it('refuses a deep comment before it joins a batch, so the comments written with it are stored', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const { participant, commenter2 } = await sceneSessions(app, scene);
    const url = urlOf(MARKDOWN_ROUTES[0]!.template, scene);
    const post = (session: Session, body: string) => app.inject({ method: 'POST', url, headers: session.headers, payload: { type: 'general', body } });
    // Sent together, they arrive while one batch is being written and coalesce into the next.
    const results = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => post(i % 2 ? participant : commenter2, `Ordinary comment ${i}.`)),
      post(participant, DEEP['block quotes']!),
      ...Array.from({ length: 6 }, (_, i) => post(i % 2 ? participant : commenter2, `Later comment ${i}.`)),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual([...Array(6).fill(201), 422, ...Array(6).fill(201)]);
    expect(results[6]!.json().code).toBe('markdown_too_deep');
    const stored = await app.prisma.comment.findMany({ where: { documentId: scene.document.id, body: { contains: 'comment ' } } });
    expect(stored).toHaveLength(12);
  });

  it('still accepts Markdown nested as deep as people write it', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const { participant } = await sceneSessions(app, scene);
    const nested = `${'> '.repeat(10)}- a\n  - b\n    - c *with **some _emphasis_** and [a link](https://itu.int)*`;
    const res = await app.inject({
      method: 'POST',
      url: urlOf(MARKDOWN_ROUTES[0]!.template, scene),
      headers: participant.headers,
      payload: { type: 'general', body: nested },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().bodyHtml).toContain('<em>emphasis</em>');
  });

  it('answers the deep payload in any text field of any route without a 5xx', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const { convener } = await sceneSessions(app, scene);
    const failures: string[] = [];
    let requests = 0;
    for (const [path, operations] of Object.entries(openapi.paths)) {
      if (path.includes('/auth/sign-in')) continue; // rate limited per address; covered by auth tests
      for (const [method, operation] of Object.entries(operations)) {
        const fields = [...stringFields(operation.requestBody?.content?.['application/json']?.schema).keys()];
        if (fields.length === 0) continue;
        const url = urlOf(path, scene).replace(/\{[^}]+\}/g, '00000000-0000-7000-8000-000000000000');
        for (const md of [DEEP['block quotes']!, DEEP['alternating emphasis']!]) {
          for (const payload of [...fields.map((f) => ({ [f]: md })), Object.fromEntries(fields.map((f) => [f, md]))]) {
            const res = await app.inject({ method: method.toUpperCase() as 'POST', url, headers: convener.headers, payload });
            requests++;
            if (res.statusCode >= 500)
              failures.push(`${method.toUpperCase()} ${path} ${Object.keys(payload).join(',')} → ${res.statusCode} ${res.body.slice(0, 160)}`);
          }
        }
      }
    }
    expect(requests).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  }, 120_000);
});
