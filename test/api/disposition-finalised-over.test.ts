// Finalising before the commenter agreed is allowed (the conveners decide), but never silent:
// the disposition keeps that it was finalised over an objection or before any answer came, and
// the audit trail shows it; an agreement, or silence past the deadline, leaves nothing to flag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import type { Session } from '../helpers/factories.ts';
import { adjudicationScene, sessionFor, type Scene } from '../helpers/dispositions.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

const send = (method: 'PUT' | 'POST', url: string, s: Session, payload: object) => app.inject({ method, url, headers: s.headers, payload });

describe('finalising before the commenter agreed', () => {
  it('records objection, pending_answer or nothing on the disposition and in the audit, one by one and in bulk', async () => {
    const scene: Scene = await adjudicationScene(app);
    const convener = await sessionFor(app, scene.convener);
    const [participant, second] = await Promise.all([sessionFor(app, scene.participant), sessionFor(app, scene.commenter2)]);
    const { c1, c2, c3, c4 } = scene.comments;
    for (const c of [c1, c2, c3, c4]) {
      const res = await send('PUT', `${scene.commentUrl(c.id)}/disposition`, convener, { expectedVersion: 0, disposition: 'accepted' });
      expect(res.statusCode, res.body).toBe(200);
    }
    const answer = (s: Session, id: string, response: string, text = '') =>
      send('POST', `${scene.commentUrl(id)}/disposition/response`, s, { expectedVersion: 1, response, text });
    expect((await answer(participant, c1.id, 'object', 'Not enough.')).statusCode).toBe(200);
    expect((await answer(second, c2.id, 'agree')).statusCode).toBe(200);
    // c4: a deadline that passed without an answer (the commenter had their time).
    await app.prisma.disposition.update({ where: { commentId: c4.id }, data: { respondBy: new Date(Date.now() - 60_000) } });

    const single = await send('POST', `${scene.commentUrl(c1.id)}/disposition/finalise`, convener, { expectedVersion: 2 });
    expect(single.statusCode, single.body).toBe(200);
    expect(single.json()).toMatchObject({ status: 'final', finalisedOver: 'objection' });
    const bulk = await send('POST', `${scene.base}/dispositions/bulk`, convener, {
      items: [
        { commentId: c2.id, expectedVersion: 2 },
        { commentId: c3.id, expectedVersion: 1 },
        { commentId: c4.id, expectedVersion: 1 },
      ],
      action: { kind: 'finalise' },
    });
    expect(bulk.statusCode, bulk.body).toBe(200);
    expect(bulk.json().results.map((r: { disposition: { finalisedOver: string | null } }) => r.disposition.finalisedOver)).toEqual([
      null,
      'pending_answer',
      null,
    ]);
    const rows = await app.prisma.disposition.findMany({ where: { documentId: scene.document.id } });
    const over = Object.fromEntries(rows.map((r) => [r.commentId, r.finalisedOver]));
    expect([over[c1.id], over[c2.id], over[c3.id], over[c4.id]]).toEqual(['OBJECTION', null, 'PENDING_ANSWER', null]);
    const audits = await app.prisma.auditEntry.findMany({ where: { action: 'dispositions.finalised', entityId: { in: rows.map((r) => r.id) } } });
    expect(audits).toHaveLength(4);
    const audited = Object.fromEntries(
      audits.map((a) => [(a.after as { commentId: string }).commentId, (a.after as { finalisedOver: string | null }).finalisedOver]),
    );
    expect([audited[c1.id], audited[c2.id], audited[c3.id], audited[c4.id]]).toEqual(['objection', null, 'pending_answer', null]);
    // Members see it too (the public record of the consultation).
    const seen = await app.inject({ method: 'GET', url: `${scene.commentUrl(c1.id)}/disposition`, headers: { cookie: participant.cookie } });
    expect(seen.json().disposition.finalisedOver).toBe('objection');
  });
});
