// Walks every route in the OpenAPI document with malformed input, as each kind of user, and
// checks that no client mistake ever produces a 5xx. New routes are covered automatically.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, createUser, signIn, type Session } from '../helpers/factories.ts';

let app: TestApp;
beforeAll(async () => { app = await createTestApp(); });
afterAll(async () => { await app.close(); });

const BAD_BODIES: unknown[] = [
  {}, { unknown: 1 }, [], 'text', 42, null, { email: 5, name: [], at: 'yesterday', role: {}, body: { x: 1 } },
  // Text PostgreSQL cannot store: NUL, and an unpaired surrogate.
  { name: 'N\u0000', body: 'b\u0000', title: 't\ud800', reason: 'r\u0000' },
];

describe('robustness', () => {
  it('answers malformed requests to every route with a 4xx and a { code, message } body', async () => {
    const { group, convener } = await createCastedGroup(app);
    const operator = await createUser(app, { isOperator: true });
    const sessions: (Session | null)[] = [null, await signIn(app, convener.email), await signIn(app, operator.email)];
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
                if (typeof b.code !== 'string' || typeof b.message !== 'string') failures.push(`${method.toUpperCase()} ${url} → ${res.statusCode} without code/message: ${res.body.slice(0, 200)}`);
              }
            }
          }
        }
      }
    }
    expect(requests).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  }, 60_000);
});
