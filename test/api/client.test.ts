// The server's side of the browser client: every route the client calls exists, and the built
// client is served as a single-page app under the strict CSP, cached and precompressed.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../client/src/api/routes.ts';
import { ensureClientBuilt } from '../../scripts/build-client.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';

let app: TestApp;
beforeAll(async () => {
  await ensureClientBuilt();
  app = await createTestApp();
}, 60_000);
afterAll(async () => {
  await app.close();
});

describe('the browser client', () => {
  it('calls only routes the server has (method and path)', () => {
    const missing = Object.entries(ROUTES).filter(([, [method, url]]) => !app.hasRoute({ method, url }));
    expect(missing).toEqual([]);
  });

  // The document view's page (revisions too) carries its data: test/api/client-shell.test.ts.
  it('gets index.html for its own routes, with the strict CSP and no inline script', async () => {
    for (const url of [
      '/',
      '/groups/cg-iotsec',
      '/groups/cg-iotsec/members',
      '/me',
      '/mailbox/0190',
      '/groups/cg-iotsec/digests',
      '/me/notifications',
      '/groups/cg-iotsec/documents/0190/adjudication',
      '/groups/cg-iotsec/documents/0190/dispositions',
      '/me/awaiting',
      '/public/groups/cg-iotsec/documents/0190',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(String(res.headers['content-security-policy'])).toContain("script-src 'self'");
      expect(res.body).toContain('<div id="root"></div>');
      expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });

  it('keeps API and file misses as 404s (no index.html for them)', async () => {
    const api = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ code: 'not_found' });
    expect((await app.inject({ method: 'GET', url: '/assets/missing-file.js' })).statusCode).toBe(404);
  });

  it('serves hashed assets for a year, precompressed with brotli or gzip as the browser accepts', async () => {
    const dist = path.resolve(import.meta.dirname, '../../client/dist');
    // The entry chunk (the lazily loaded screens' chunks are too small to show compression well).
    const script = (await readdir(path.join(dist, 'assets'))).find((f) => /^index-.*\.js$/.test(f))!;
    const raw = await readFile(path.join(dist, 'assets', script));
    const br = await app.inject({ method: 'GET', url: `/assets/${script}`, headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.rawPayload.length).toBeLessThan(raw.length / 3);
    const gz = await app.inject({ method: 'GET', url: `/assets/${script}`, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await app.inject({ method: 'GET', url: `/assets/${script}` });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(raw)).toBe(true);
  });

  it('serves the shared stylesheet the sign-in confirmation page links to', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/base.css' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/css/);
    expect(res.headers['cache-control']).toBe('no-cache');
  });
});
