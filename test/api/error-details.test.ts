// The machine-readable parts of error bodies that let the client write the sentence in the
// reader's language (client/src/i18n/api-errors.ts): the validation issue with its bounds, the
// field a period error concerns and the instants its sentence names, the sizes of a long comment,
// the wait of a rate limit. The English `message` stays as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { signIn } from '../helpers/factories.ts';
import { inHours } from '../helpers/documents.ts';
import { createDocumentGroup } from '../e2e/lib/fixtures.ts';
import { toErrorResponse } from '../../server/plugins/errors.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ limits: { commentBodyChars: 50 } });
});
afterAll(async () => {
  await app.close();
});

describe('error details for translated sentences', () => {
  it('describes a validation error by its zod issue and names the field, unknown fields included', async () => {
    const g = await createDocumentGroup(app);
    const s = await signIn(app, g.participant.email);
    const post = (payload: object) =>
      app.inject({ method: 'POST', url: `/api/groups/${g.group.slug}/documents/${g.document.id}/revisions/1/comments`, headers: s.headers, payload });
    const empty = await post({ clauseId: null, type: 'general', body: '' });
    expect(empty.json()).toEqual({
      code: 'invalid_request',
      message: 'body.body: must not be empty.',
      field: 'body.body',
      issue: { code: 'too_small', origin: 'string', minimum: 1 },
    });
    expect((await post({ clauseId: 'nope', type: 'general', body: 'x' })).json()).toMatchObject({
      field: 'body.clauseId',
      issue: { code: 'invalid_format', format: 'uuid' },
    });
    expect((await post({ clauseId: null, type: 'gen', body: 'x' })).json()).toMatchObject({ field: 'body.type', issue: { code: 'invalid_value' } });
    const extra = await post({ clauseId: null, type: 'general', body: 'x', colour: 'red' });
    expect(extra.json()).toEqual({
      code: 'invalid_request',
      message: 'body: unknown field "colour".',
      field: 'body.colour',
      issue: { code: 'unrecognized_keys' },
    });
  });

  it('gives a too long comment its limit and length, and a late one its deadline', async () => {
    const g = await createDocumentGroup(app, inHours(1));
    const s = await signIn(app, g.participant.email);
    const url = `/api/groups/${g.group.slug}/documents/${g.document.id}/revisions/1/comments`;
    const long = await app.inject({ method: 'POST', url, headers: s.headers, payload: { clauseId: null, type: 'general', body: 'x'.repeat(51) } });
    expect(long.statusCode).toBe(413);
    expect(long.json()).toMatchObject({ code: 'comment_too_long', maxChars: 50, length: 51 });
    const closed = await app.inject({
      method: 'POST',
      url: `/api/groups/${g.group.slug}/documents/${g.document.id}/periods/${g.period.id}/close`,
      headers: g.convenerSession.headers,
      payload: { reason: 'Done.' },
    });
    const late = await app.inject({ method: 'POST', url, headers: s.headers, payload: { clauseId: null, type: 'general', body: 'Late.' } });
    expect(late.json()).toMatchObject({ code: 'comment_period_closed', closesAt: closed.json().closesAt.iso });
  });

  it('names the deadline field and the instants in period errors', async () => {
    const g = await createDocumentGroup(app);
    const base = `/api/groups/${g.group.slug}/documents/${g.document.id}/periods`;
    const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers: g.convenerSession.headers, payload });
    const current = (await app.prisma.commentPeriod.findUniqueOrThrow({ where: { id: g.period.id } })).closesAt.toISOString();

    const earlier = await post(`${base}/${g.period.id}/extensions`, { closesAt: inHours(2), reason: 'More time.' });
    expect(earlier.statusCode).toBe(400);
    expect(earlier.json()).toMatchObject({ code: 'extension_not_later', field: 'body.closesAt', closesAt: current });
    expect(earlier.json().message).toMatch(/^An extension must move the deadline later than /);

    const backwards = await post(base, { revision: 1, opensAt: inHours(100), closesAt: inHours(99) });
    expect(backwards.json()).toMatchObject({ code: 'invalid_period', field: 'body.closesAt' });
    expect(Date.parse(backwards.json().opensAt)).toBeGreaterThan(Date.now());
    expect((await post(base, { revision: 1, opensAt: inHours(1), closesAt: inHours(30) })).json()).toMatchObject({ code: 'period_overlaps', revision: 1 });

    const closed = await post(`${base}/${g.period.id}/close`, { reason: 'Agreed at the meeting.' });
    expect(closed.statusCode).toBe(200);
    const again = await post(`${base}/${g.period.id}/close`, { reason: 'Twice.' });
    expect(again.json()).toMatchObject({ code: 'period_already_closed', closesAt: closed.json().closesAt.iso });
    const past = await post(`${base}/${g.period.id}/extensions`, {
      closesAt: new Date(Date.parse(closed.json().closesAt.iso) + 1).toISOString(),
      reason: 'Too late.',
    });
    expect(past.json()).toMatchObject({ code: 'extension_in_past', field: 'body.closesAt' });
  });

  it("keeps the rate limiter's sentence and wait", () => {
    const limited = toErrorResponse({ statusCode: 429, code: 'rate_limited', message: 'Too many requests; try again in 42 seconds.', retryAfterSeconds: 42 });
    expect(limited).toEqual({ status: 429, body: { code: 'rate_limited', message: 'Too many requests; try again in 42 seconds.', retryAfterSeconds: 42 } });
  });
});
