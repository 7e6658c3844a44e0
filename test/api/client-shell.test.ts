// The document view's page: the API's own answers for the view inside the HTML (a JSON data
// block), for exactly those allowed to read them, never cached, and safe whatever a comment says.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureClientBuilt } from '../../scripts/build-client.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { postDocument, postMarkdownRevision, openPeriodApi, inHours } from '../helpers/documents.ts';
import { createCastedGroup, signIn, type Session } from '../helpers/factories.ts';

let app: TestApp;
let cast: Awaited<ReturnType<typeof createCastedGroup>>;
let convener: Session;
let participant: Session;
let outsider: Session;
let documentId: string;
let pagePath: string;
const HOSTILE = 'Quote this: </script><script>alert(1)</script> and <!-- <script> and </SCRIPT >';

beforeAll(async () => {
  await ensureClientBuilt();
  app = await createTestApp();
  cast = await createCastedGroup(app);
  [convener, participant, outsider] = await Promise.all([
    signIn(app, cast.convener.email),
    signIn(app, cast.participant.email),
    signIn(app, cast.outsider.email),
  ]);
  const slug = cast.group.slug;
  documentId = (await postDocument(app, slug, convener)).id;
  const revision = await postMarkdownRevision(app, slug, documentId, convener);
  await openPeriodApi(app, slug, documentId, convener, 1, inHours(-1), inHours(24));
  for (const [who, body] of [
    [convener, 'The scope should name SG20.'],
    [participant, HOSTILE],
  ] as const) {
    const res = await app.inject({
      method: 'POST',
      url: `/api/groups/${slug}/documents/${documentId}/revisions/1/comments`,
      headers: who.headers,
      payload: { clauseId: revision.clauses[0]!.id, type: 'general', body },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  pagePath = `/groups/${slug}/documents/${documentId}`;
}, 60_000);
afterAll(async () => {
  await app.close();
});

const BLOCK = /<script type="application\/json" id="convene-data">([\s\S]*?)<\/script>/;

async function page(url: string, session?: Session) {
  const res = await app.inject({ method: 'GET', url, headers: session ? { cookie: session.cookie } : {} });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  const block = res.body.match(BLOCK);
  return { res, html: res.body, data: block ? (JSON.parse(block[1]!) as Record<string, unknown>) : null };
}

const api = async (url: string, session: Session) => (await app.inject({ method: 'GET', url, headers: { cookie: session.cookie } })).json();

describe("the document view's page", () => {
  it("carries, for a member, the API's own answers to the view's first requests, and is never cached", async () => {
    const { res, html, data } = await page(pagePath, participant);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
    const group = `/api/groups/${cast.group.slug}`;
    const doc = `${group}/documents/${documentId}`;
    const urls = [
      '/api/auth/session',
      group,
      doc,
      `${doc}/periods`,
      `${group}/phase`,
      `${doc}/comments/export`,
      `${doc}/revisions/1`,
      `${doc}/dispositions/decided?revision=1`,
    ];
    expect(Object.keys(data!).sort()).toEqual([...urls, 'live'].sort());
    for (const url of urls) {
      const now = await api(url, participant);
      // The phase (alone, and in the group) says when it was read ("at"); everything else is the API's answer as it is.
      const read = url.endsWith('/phase')
        ? { ...now, at: expect.anything() }
        : url === group
          ? { ...now, phase: { ...now.phase, at: expect.anything() } }
          : now;
      expect(data![url], url).toEqual(read);
    }
    // The view's data and the page's own script: no other inline script (the CSP forbids them).
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]).filter((tag) => !/\bsrc=/.test(tag))).toEqual([
      '<script type="application/json" id="convene-data">',
    ]);
  });

  it("carries the position of the document's live stream the answers were read at, so the client subscribes from there", async () => {
    const stream = `document:${documentId}`;
    const head = async () => (await app.prisma.realtimeStream.findUnique({ where: { key: stream } }))?.lastSeq ?? 0;
    const before = await head();
    expect(before, 'the comments posted above are on the stream').toBeGreaterThan(0);
    expect((await page(pagePath, participant)).data!.live).toEqual({ [stream]: before });
    // One more event: the next page is read after it, and says so.
    const res = await app.inject({
      method: 'POST',
      url: `/api/groups/${cast.group.slug}/documents/${documentId}/revisions/1/comments`,
      headers: convener.headers,
      payload: { clauseId: null, type: 'general', body: 'One more, for the stream.' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const after = await page(pagePath, participant);
    expect(after.data!.live).toEqual({ [stream]: before + 1 });
    const exported = after.data![`/api/groups/${cast.group.slug}/documents/${documentId}/comments/export`] as { comments: { body: string }[] };
    expect(exported.comments.map((c) => c.body)).toContain('One more, for the stream.');
  });

  it('carries the revision the address names', async () => {
    const { data } = await page(`${pagePath}/revisions/1`, convener);
    expect(Object.keys(data!)).toContain(`/api/groups/${cast.group.slug}/documents/${documentId}/revisions/1`);
    const missing = await page(`${pagePath}/revisions/9`, convener);
    expect(Object.keys(missing.data!).filter((url) => url.includes('/revisions/'))).toEqual([]);
  });

  it('tells a non-member nothing about the group or the document: the same page as for a document that does not exist', async () => {
    const outside = await page(pagePath, outsider);
    expect(outside.res.headers['cache-control']).toBe('private, no-store');
    // Not even where the document's live stream stands.
    expect(Object.keys(outside.data!)).toEqual(['/api/auth/session']);
    for (const secret of [cast.group.name, cast.group.slug, cast.group.slug.toUpperCase(), 'Report on security', 'SG20', documentId])
      expect(outside.html).not.toContain(secret);
    const nowhere = await page(`/groups/${cast.group.slug}/documents/0190a5c4-0000-7000-8000-000000000000`, outsider);
    const shape = (html: string) => html.replace(BLOCK, '');
    expect(shape(outside.html)).toBe(shape(nowhere.html));
  });

  it('carries no data at all for a visitor who is not signed in', async () => {
    const { res, data } = await page(pagePath);
    expect(data).toBeNull();
    expect(res.headers['cache-control']).toBe('private, no-store');
  });

  it("keeps a comment's text inside the block whatever it says (</script>, <!--): every < is written \\u003c", async () => {
    const { html, data } = await page(pagePath, convener);
    const block = html.match(BLOCK)![1]!;
    expect(block).not.toContain('<');
    const comments = (data![`/api/groups/${cast.group.slug}/documents/${documentId}/comments/export`] as { comments: { body: string }[] }).comments;
    expect(comments.map((c) => c.body)).toContain(HOSTILE);
    // Nothing after the block was cut short: the page ends as index.html does.
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it("shows other people's names and affiliations, never their e-mail addresses", async () => {
    const { html } = await page(pagePath, participant);
    expect(html).toContain(cast.convener.name);
    for (const other of [cast.convener, cast.editor, cast.observer, cast.outsider]) expect(html).not.toContain(other.email);
  });

  it("preloads the document screen's code from its head, so it loads beside the entry script", async () => {
    type Chunk = { file: string; name?: string; css?: string[] };
    const manifest = JSON.parse(await readFile(path.resolve(import.meta.dirname, '../../client/dist/.vite/manifest.json'), 'utf8')) as Record<string, Chunk>;
    // Its modules are one chunk named after it (client/vite.config.ts), so the manifest keys the chunk.
    const screen =
      manifest['src/screens/document/document-view.tsx'] ??
      Object.entries(manifest).find(([key, c]) => key.startsWith('_') && c.name === 'document-view' && c.file.endsWith('.js'))?.[1];
    expect(screen, 'the document screen in the manifest').toBeDefined();
    expect(await readFile(path.resolve(import.meta.dirname, '../../client/dist', screen!.file), 'utf8'), 'that chunk holds the screen').toContain(
      'live-status',
    );
    const { html } = await page(pagePath);
    const head = html.slice(0, html.indexOf('</head>'));
    expect(head).toContain(`<link rel="modulepreload" crossorigin href="/${screen!.file}">`);
    // Its stylesheets too: the screen's import would otherwise fetch them only once the entry runs.
    for (const css of screen!.css ?? []) expect(head).toContain(`<link rel="stylesheet" crossorigin href="/${css}">`);
    // And builds its first Intl formatter while it waits (async, ahead of the entry module).
    expect(head.indexOf('<script async src="/assets/warm-intl.js"></script>')).toBeGreaterThan(-1);
    expect(head.indexOf('<script async src="/assets/warm-intl.js"></script>')).toBeLessThan(head.indexOf('<script type="module"'));
    expect((await app.inject({ method: 'GET', url: '/assets/warm-intl.js' })).statusCode).toBe(200);
    // Few files, all asked for by the head: on HTTP/1.1 six connections serve them in one round.
    const files = [...head.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(files.length, files.join(' ')).toBeLessThanOrEqual(6);
    // Other client routes get index.html as it is.
    expect((await app.inject({ method: 'GET', url: `/groups/${cast.group.slug}` })).body).not.toContain(screen!.file);
  });
});

describe('compression', () => {
  it('sends a large API answer brotli- or gzip-compressed when asked, intact once decoded; small answers as they are', async () => {
    const { brotliDecompressSync, gunzipSync } = await import('node:zlib');
    const url = `/api/groups/${cast.group.slug}/documents/${documentId}/comments/export`;
    const plain = await app.inject({ method: 'GET', url, headers: { cookie: participant.cookie } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await app.inject({ method: 'GET', url, headers: { cookie: participant.cookie, 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString('utf8'))).toEqual(plain.json());
    const gz = await app.inject({ method: 'GET', url, headers: { cookie: participant.cookie, 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString('utf8'))).toEqual(plain.json());

    const small = await app.inject({ method: 'GET', url: '/api/health', headers: { 'accept-encoding': 'br, gzip' } });
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('sends the document page brotli- or gzip-compressed when asked, the same page once decoded', async () => {
    // The page's markup, and its data but for what depends on the clock (the phase's "now").
    const samePage = (html: string) => {
      const data = JSON.parse(html.match(BLOCK)![1]!) as Record<string, unknown>;
      // The group carries its phase too, read at the same "now".
      const clockFree = Object.fromEntries(
        Object.entries(data)
          .filter(([url]) => !url.endsWith('/phase'))
          .map(([url, answer]) => {
            const phase = (answer as { phase?: { at?: unknown } } | null)?.phase;
            return [url, phase && typeof phase === 'object' && 'at' in phase ? { ...(answer as object), phase: { ...phase, at: null } } : answer];
          }),
      );
      return { markup: html.replace(BLOCK, ''), data: clockFree };
    };
    const { brotliDecompressSync, gunzipSync } = await import('node:zlib');
    const plain = await app.inject({ method: 'GET', url: pagePath, headers: { cookie: participant.cookie } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toMatch(BLOCK);
    for (const [accept, encoding, decode] of [
      ['br, gzip', 'br', brotliDecompressSync],
      ['gzip, deflate', 'gzip', gunzipSync],
      ['gzip;q=0.5, br;q=0', 'gzip', gunzipSync],
    ] as const) {
      const res = await app.inject({ method: 'GET', url: pagePath, headers: { cookie: participant.cookie, 'accept-encoding': accept } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding'], accept).toBe(encoding);
      expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
      expect(samePage(decode(res.rawPayload).toString('utf8'))).toEqual(samePage(plain.body));
    }
    const identity = await app.inject({ method: 'GET', url: pagePath, headers: { cookie: participant.cookie, 'accept-encoding': 'identity' } });
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(samePage(identity.body)).toEqual(samePage(plain.body));
  });

  it("never compresses a write's answer, however long, and refuses a compressed request body with a 4xx", async () => {
    const url = `/api/groups/${cast.group.slug}/documents/${documentId}/comments/export`;
    const { comments } = (await app.inject({ method: 'GET', url, headers: { cookie: participant.cookie } })).json() as { comments: { id: string }[] };
    const reply = await app.inject({
      method: 'POST',
      url: `/api/groups/${cast.group.slug}/documents/${documentId}/comments/${comments[0]!.id}/replies`,
      headers: { ...participant.headers, 'accept-encoding': 'br, gzip' },
      payload: { body: 'A long reply. '.repeat(200) },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    expect(reply.body.length).toBeGreaterThan(4096);
    expect(reply.headers['content-encoding']).toBeUndefined();

    const { gzipSync } = await import('node:zlib');
    const zipped = await app.inject({
      method: 'POST',
      url: `/api/groups/${cast.group.slug}/documents/${documentId}/comments/${comments[0]!.id}/replies`,
      headers: { ...participant.headers, 'content-encoding': 'gzip' },
      payload: gzipSync(JSON.stringify({ body: 'Zipped.' })),
    });
    expect(zipped.statusCode).toBeGreaterThanOrEqual(400);
    expect(zipped.statusCode).toBeLessThan(500);
    expect(zipped.json().code).toEqual(expect.any(String));
  });

  it('serves the precompressed client files as built, never compressed twice', async () => {
    const asset = (await readFile(path.join('client/dist/index.html'), 'utf8')).match(/\/assets\/[\w-]+\.js/)![0];
    const res = await app.inject({ method: 'GET', url: asset, headers: { 'accept-encoding': 'br' } });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.rawPayload.equals(await readFile(path.join('client/dist', `${asset}.br`)))).toBe(true);
  });
});
