// The member-safe read behind the document view's dispositions: GET …/dispositions/decided gives
// every member the proposed and final dispositions of a document in one request, never an
// editor's draft nor who is assigned (the authorization matrix covers who may call it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import type { Session } from '../helpers/factories.ts';
import { adjudicationScene, sceneSessions, type Scene } from '../helpers/dispositions.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

const get = (url: string, s: Session) => app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
const send = async (method: 'PUT' | 'POST', url: string, s: Session, payload: object) => {
  const res = await app.inject({ method, url, headers: s.headers, payload });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

/** c1 proposed (with an assignee), c2 final, c3 an editor's draft, c4 only assigned. */
async function decideSome(scene: Scene, sessions: Awaited<ReturnType<typeof sceneSessions>>) {
  const { c1, c2, c3, c4 } = scene.comments;
  const url = (id: string) => `${scene.commentUrl(id)}/disposition`;
  await send('PUT', url(c1.id), sessions.convener, { disposition: 'accepted_with_modification', rationale: 'Shorter wording.', expectedVersion: 0 });
  await send('PUT', `${url(c1.id)}/assignee`, sessions.convener, { assigneeId: scene.editor.id, expectedVersion: 1 });
  await send('PUT', url(c2.id), sessions.convener, { disposition: 'accepted', expectedVersion: 0 });
  await send('POST', `${url(c2.id)}/finalise`, sessions.convener, { expectedVersion: 1 });
  await send('PUT', url(c3.id), sessions.editor, { disposition: 'rejected', rationale: 'A draft the commenter must not see yet.', expectedVersion: 0 });
  await send('PUT', `${url(c4.id)}/assignee`, sessions.convener, { assigneeId: scene.editor.id, expectedVersion: 0 });
}

describe('the decided dispositions of a document', () => {
  it("gives members the proposed and final dispositions only: no editor's draft, no assignee, no e-mail", async () => {
    const scene = await adjudicationScene(app);
    const sessions = await sceneSessions(app, scene);
    await decideSome(scene, sessions);

    const res = await get(`${scene.base}/dispositions/decided`, sessions.participant);
    expect(res.statusCode, res.body).toBe(200);
    const { items } = res.json() as { items: Array<Record<string, unknown>> };
    expect(items.map((d) => [d.commentId, d.status, d.disposition])).toEqual([
      [scene.comments.c1.id, 'proposed', 'accepted_with_modification'],
      [scene.comments.c2.id, 'final', 'accepted'],
    ]);
    expect(items[0]).toMatchObject({
      rationale: 'Shorter wording.',
      assignee: null,
      draftedBy: null,
      proposedBy: { id: scene.convener.id, name: scene.convener.name },
    });
    for (const hidden of ['A draft the commenter must not see yet.', scene.convener.email, scene.editor.email, scene.editor.id])
      expect(res.body).not.toContain(hidden);
  });

  it("shows a convener, an editor and the operator the same members' view (the board has the drafts)", async () => {
    const scene = await adjudicationScene(app);
    const sessions = await sceneSessions(app, scene);
    await decideSome(scene, sessions);
    const asParticipant = (await get(`${scene.base}/dispositions/decided`, sessions.participant)).json();
    for (const who of ['convener', 'editor', 'operator', 'observer'] as const) {
      const res = await get(`${scene.base}/dispositions/decided`, sessions[who]);
      expect(res.statusCode, `${who}: ${res.body}`).toBe(200);
      expect(res.json(), who).toEqual(asParticipant);
    }
  });

  it('keeps to the revision the comments were made on when asked', async () => {
    const scene = await adjudicationScene(app);
    const sessions = await sceneSessions(app, scene);
    await decideSome(scene, sessions);
    expect((await get(`${scene.base}/dispositions/decided?revision=1`, sessions.participant)).json().items).toHaveLength(2);
    expect((await get(`${scene.base}/dispositions/decided?revision=2`, sessions.participant)).json().items).toEqual([]);
    const bad = await get(`${scene.base}/dispositions/decided?revision=0`, sessions.participant);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid_request', field: 'querystring.revision' });
  });

  it('answers 404 for a document of another group, even to one of its conveners', async () => {
    const [scene, other] = await Promise.all([adjudicationScene(app), adjudicationScene(app)]);
    const sessions = await sceneSessions(app, scene);
    const res = await get(`/api/groups/${scene.slug}/documents/${other.document.id}/dispositions/decided`, sessions.convener);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('document_not_found');
  });
});
