// Comment HTML stored by the renderer before 2026-11-23 could carry raw HTML after an inline
// <pre>/<code>/<kbd>/<script> tag; npm start renders such bodies again (repair-comment-html.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, signIn } from '../helpers/factories.ts';
import { inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';
import { repairCommentHtml } from '../../server/modules/comments/repair-comment-html.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

const XSS = '**<script><img src=x onerror=alert(1)//';
// What the old renderer stored for XSS: the <img> passed through as raw HTML.
const OLD_HTML = '<p>**&lt;script&gt;<img src=x onerror=alert(1)//</p>';
const SAFE_HTML = '<p>**&lt;script&gt;&lt;img src=x onerror=alert(1)//</p>';

describe('repairing stored comment HTML', () => {
  it('renders again the bodies the old renderer got wrong, in comments and in their earlier versions, and nothing else', async () => {
    const cast = await createCastedGroup(app);
    const participant = await signIn(app, cast.participant.email);
    const convener = await signIn(app, cast.convener.email);
    const doc = await postDocument(app, cast.group.slug, convener);
    await postMarkdownRevision(app, cast.group.slug, doc.id, convener);
    await openPeriodApi(app, cast.group.slug, doc.id, convener, 1, inHours(-1), inHours(24));
    const base = `/api/groups/${cast.group.slug}/documents/${doc.id}`;
    const post = async (body: string) => {
      const res = await app.inject({ method: 'POST', url: `${base}/revisions/1/comments`, headers: participant.headers, payload: { type: 'general', body } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; bodyHtml: string };
    };
    // Written now: already safe.
    const fresh = await post(XSS);
    expect(fresh.bodyHtml).toBe(SAFE_HTML);
    // Written before the fix (simulated), and edited since: both versions need the repair.
    const old = await post(XSS);
    expect(
      (await app.inject({ method: 'PATCH', url: `${base}/comments/${old.id}`, headers: participant.headers, payload: { body: `${XSS} (edited)` } })).statusCode,
    ).toBe(200);
    await app.prisma.comment.update({ where: { id: old.id }, data: { bodyHtml: OLD_HTML.replace('</p>', ' (edited)</p>') } });
    await app.prisma.commentEdit.updateMany({ where: { commentId: old.id, version: 1 }, data: { bodyHtml: OLD_HTML } });
    // A raw-content tag whose stored HTML is right is left alone.
    const fine = await post('Use `<code>` for <code>identifiers</code>.');

    expect(await repairCommentHtml(app.ctx)).toBeGreaterThanOrEqual(2);
    const stored = await app.prisma.comment.findMany({ where: { id: { in: [fresh.id, old.id, fine.id] } }, include: { edits: true } });
    const byId = new Map(stored.map((c) => [c.id, c]));
    expect(byId.get(old.id)!.bodyHtml).toBe(SAFE_HTML.replace('</p>', ' (edited)</p>'));
    expect(byId.get(old.id)!.edits.map((e) => e.bodyHtml)).toEqual([SAFE_HTML]);
    expect(byId.get(fresh.id)!.bodyHtml).toBe(SAFE_HTML);
    expect(byId.get(fine.id)!.bodyHtml).toBe(fine.bodyHtml);
    // Idempotent: a second start finds nothing to change.
    expect(await repairCommentHtml(app.ctx)).toBe(0);
  });
});
