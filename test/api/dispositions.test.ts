import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import type { Session } from '../helpers/factories.ts';
import { adjudicationScene, inHours, sceneSessions, sessionFor, type Scene } from '../helpers/dispositions.ts';
import { presentDispositionEvent } from '../../server/modules/dispositions/dispositions.realtime.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

const put = (url: string, s: Session, payload: unknown) => app.inject({ method: 'PUT', url, headers: s.headers, payload: payload as object });
const post = (url: string, s: Session, payload: unknown) => app.inject({ method: 'POST', url, headers: s.headers, payload: payload as object });
const get = (url: string, s: Session) => app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
const decide = (scene: Scene, s: Session, commentId: string, body: Record<string, unknown>) =>
  put(`${scene.commentUrl(commentId)}/disposition`, s, { expectedVersion: 0, ...body });

/** Records the events published after commit. */
function recordEvents(names: string[]) {
  const seen: Array<{ name: string; payload: Record<string, unknown> }> = [];
  for (const name of names)
    app.ctx.events.on(name as 'dispositions.proposed', (payload) => {
      seen.push({ name, payload: payload as unknown as Record<string, unknown> });
    });
  return seen;
}

describe('deciding on a comment', () => {
  it('lets a convener propose a disposition with rationale and adopted text, audited with before and after', async () => {
    const scene = await adjudicationScene(app);
    const convener = await sessionFor(app, scene.convener);
    const res = await decide(scene, convener, scene.comments.c1.id, {
      disposition: 'accepted_with_modification',
      rationale: 'Agreed in substance; shorter wording.',
      adoptedText: 'Use tamper-resistant storage.',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      commentId: scene.comments.c1.id,
      disposition: 'accepted_with_modification',
      status: 'proposed',
      version: 1,
      rationale: 'Agreed in substance; shorter wording.',
      adoptedText: 'Use tamper-resistant storage.',
      proposedBy: { id: scene.convener.id, name: scene.convener.name, affiliation: scene.convener.affiliation },
      response: null,
    });
    expect(res.body).not.toContain(scene.convener.email);
    const audit = await app.prisma.auditEntry.findFirstOrThrow({ where: { entityType: 'disposition', entityId: res.json().id } });
    expect(audit).toMatchObject({ action: 'dispositions.proposed', actorId: scene.convener.id, groupId: scene.group.id });
    expect(audit.before).toMatchObject({ status: 'undecided', version: 0 });
    expect(audit.after).toMatchObject({ status: 'proposed', disposition: 'accepted_with_modification', version: 1 });
  });

  it('accepts a plain acceptance without rationale but refuses every other disposition without one (400), storing nothing', async () => {
    const scene = await adjudicationScene(app);
    const convener = await sessionFor(app, scene.convener);
    expect((await decide(scene, convener, scene.comments.c2.id, { disposition: 'accepted' })).statusCode).toBe(200);
    for (const disposition of ['rejected', 'accepted_with_modification', 'noted', 'deferred']) {
      const res = await decide(scene, convener, scene.comments.c1.id, { disposition, rationale: '   ' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'rationale_required', field: 'body.rationale' });
    }
    expect(await app.prisma.disposition.findUnique({ where: { commentId: scene.comments.c1.id } })).toBeNull();
  });

  it('refuses an unknown disposition value, a missing expectedVersion and unknown fields with 400 naming the field', async () => {
    const scene = await adjudicationScene(app);
    const convener = await sessionFor(app, scene.convener);
    const unknown = await decide(scene, convener, scene.comments.c1.id, { disposition: 'revised', rationale: 'x' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'invalid_request', field: 'body.disposition' });
    const noVersion = await put(`${scene.commentUrl(scene.comments.c1.id)}/disposition`, convener, { disposition: 'accepted' });
    expect(noVersion.json()).toMatchObject({ code: 'invalid_request', field: 'body.expectedVersion' });
    const typo = await decide(scene, convener, scene.comments.c1.id, { disposition: 'rejected', rational: 'typo' });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().message).toContain('"rational"');
  });

  it('refuses participants and observers (403) and answers 404 for a comment of another document or a reply 409', async () => {
    const scene = await adjudicationScene(app);
    const other = await adjudicationScene(app);
    const [participant, observer, convener] = await Promise.all([
      sessionFor(app, scene.participant),
      sessionFor(app, scene.observer),
      sessionFor(app, scene.convener),
    ]);
    for (const who of [participant, observer]) {
      const res = await decide(scene, who, scene.comments.c1.id, { disposition: 'accepted' });
      expect(res.statusCode).toBe(403);
    }
    expect((await decide(scene, convener, other.comments.c1.id, { disposition: 'accepted' })).statusCode).toBe(404);
    const reply = await decide(scene, convener, scene.reply.id, { disposition: 'accepted' });
    expect(reply.statusCode).toBe(409);
    expect(reply.json().code).toBe('reply_has_no_disposition');
  });

  it('lets an editor draft a proposal that the commenter does not see until a convener confirms it', async () => {
    const scene = await adjudicationScene(app);
    const [editor, convener, participant] = await Promise.all([
      sessionFor(app, scene.editor),
      sessionFor(app, scene.convener),
      sessionFor(app, scene.participant),
    ]);
    const events = recordEvents(['dispositions.proposed', 'dispositions.drafted']);
    const draft = await decide(scene, editor, scene.comments.c1.id, { disposition: 'rejected', rationale: 'Out of scope of clause 7.1.' });
    expect(draft.statusCode, draft.body).toBe(200);
    expect(draft.json()).toMatchObject({ status: 'draft', disposition: 'rejected', draftedBy: { id: scene.editor.id } });
    const seenByCommenter = await get(`${scene.commentUrl(scene.comments.c1.id)}/disposition`, participant);
    expect(seenByCommenter.json().disposition).toMatchObject({ status: 'undecided', disposition: null, rationale: '', version: 1 });
    const byEditorWithDeadline = await decide(scene, editor, scene.comments.c2.id, { disposition: 'accepted', respondBy: inHours(48) });
    expect(byEditorWithDeadline.json().code).toBe('deadline_by_conveners');
    const confirm = await post(`${scene.commentUrl(scene.comments.c1.id)}/disposition/confirm`, convener, { expectedVersion: 1, respondBy: inHours(72) });
    expect(confirm.statusCode, confirm.body).toBe(200);
    expect(confirm.json()).toMatchObject({ status: 'proposed', disposition: 'rejected', version: 2, proposedBy: { id: scene.convener.id } });
    const editorAgain = await decide(scene, editor, scene.comments.c1.id, { disposition: 'accepted', expectedVersion: 2 });
    expect(editorAgain.json().code).toBe('disposition_already_proposed');
    await app.ctx.events.drain();
    expect(events.map((e) => e.name)).toEqual(['dispositions.drafted', 'dispositions.proposed']);
    expect(events[1]!.payload).toMatchObject({
      commentId: scene.comments.c1.id,
      commenterId: scene.participant.id,
      groupId: scene.group.id,
      documentId: scene.document.id,
      dispositionId: confirm.json().id,
    });
  });
});

describe('the comment period', () => {
  it('refuses a decision while the period is open (409) unless the conveners allow early adjudication', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const [convener, participant] = await Promise.all([sessionFor(app, scene.convener), sessionFor(app, scene.participant)]);
    const early = await decide(scene, convener, scene.comments.c1.id, { disposition: 'accepted' });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('comment_period_open');
    // Assignment is preparation, not a decision: allowed while comments come in.
    expect(
      (await put(`${scene.commentUrl(scene.comments.c1.id)}/disposition/assignee`, convener, { assigneeId: scene.editor.id, expectedVersion: 0 })).statusCode,
    ).toBe(200);
    const settingsUrl = `/api/groups/${scene.slug}/adjudication-settings`;
    expect((await put(settingsUrl, participant, { allowEarlyAdjudication: true })).statusCode).toBe(403);
    expect((await put(settingsUrl, convener, { allowEarlyAdjudication: 'yes' })).statusCode).toBe(400);
    const on = await put(settingsUrl, convener, { allowEarlyAdjudication: true });
    expect(on.json()).toEqual({ allowEarlyAdjudication: true });
    expect((await get(settingsUrl, participant)).json()).toEqual({ allowEarlyAdjudication: true });
    const allowed = await decide(scene, convener, scene.comments.c1.id, { disposition: 'accepted', expectedVersion: 1 });
    expect(allowed.statusCode, allowed.body).toBe(200);
    const audit = await app.prisma.auditEntry.findFirstOrThrow({ where: { action: 'groups.adjudication_settings_changed', groupId: scene.group.id } });
    expect(audit).toMatchObject({ before: { allowEarlyAdjudication: false }, after: { allowEarlyAdjudication: true } });
  });
});

describe('the consultation loop', () => {
  it('lists the proposal as awaiting the commenter, who agrees; the conveners then finalise', async () => {
    const scene = await adjudicationScene(app);
    const [convener, participant, commenter2] = await Promise.all([
      sessionFor(app, scene.convener),
      sessionFor(app, scene.participant),
      sessionFor(app, scene.commenter2),
    ]);
    const events = recordEvents(['dispositions.responded', 'dispositions.finalised']);
    await decide(scene, convener, scene.comments.c1.id, { disposition: 'accepted', respondBy: inHours(24) });
    const awaiting = await get('/api/me/dispositions/awaiting', participant);
    expect(awaiting.statusCode).toBe(200);
    const mine = awaiting.json().items.filter((i: { document: { id: string } }) => i.document.id === scene.document.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ group: { slug: scene.slug }, comment: { id: scene.comments.c1.id }, disposition: { status: 'proposed', version: 1 } });
    expect(
      (await get('/api/me/dispositions/awaiting', commenter2)).json().items.filter((i: { document: { id: string } }) => i.document.id === scene.document.id),
    ).toEqual([]);

    const tooEarly = await post(`${scene.commentUrl(scene.comments.c1.id)}/disposition/finalise`, convener, { expectedVersion: 1 });
    expect(tooEarly.statusCode).toBe(409);
    expect(tooEarly.json().code).toBe('response_window_open');

    const agree = await post(`${scene.commentUrl(scene.comments.c1.id)}/disposition/response`, participant, { response: 'agree', expectedVersion: 1 });
    expect(agree.statusCode, agree.body).toBe(200);
    expect(agree.json()).toMatchObject({ response: { kind: 'agree', text: '' }, version: 2, status: 'proposed' });
    expect(
      (await get('/api/me/dispositions/awaiting', participant)).json().items.filter((i: { document: { id: string } }) => i.document.id === scene.document.id),
    ).toEqual([]);

    const final = await post(`${scene.commentUrl(scene.comments.c1.id)}/disposition/finalise`, convener, { expectedVersion: 2 });
    expect(final.statusCode, final.body).toBe(200);
    expect(final.json()).toMatchObject({ status: 'final', finalisedBy: { id: scene.convener.id }, version: 3 });
    const again = await decide(scene, convener, scene.comments.c1.id, { disposition: 'rejected', rationale: 'Changed our mind.', expectedVersion: 3 });
    expect(again.json().code).toBe('disposition_final');
    await app.ctx.events.drain();
    expect(events.map((e) => [e.name, e.payload.response ?? e.payload.objected])).toEqual([
      ['dispositions.responded', 'agree'],
      ['dispositions.finalised', false],
    ]);
  });

  it('keeps an objection on record through finalisation and lists it as unresolved', async () => {
    const scene = await adjudicationScene(app);
    const [convener, commenter2, participant] = await Promise.all([
      sessionFor(app, scene.convener),
      sessionFor(app, scene.commenter2),
      sessionFor(app, scene.participant),
    ]);
    await decide(scene, convener, scene.comments.c2.id, {
      disposition: 'rejected',
      rationale: 'The spelling is already correct in the source.',
      respondBy: inHours(24),
    });
    const object = await post(`${scene.commentUrl(scene.comments.c2.id)}/disposition/response`, commenter2, {
      response: 'object',
      text: 'It is misspelt in the PDF.',
      expectedVersion: 1,
    });
    expect(object.statusCode, object.body).toBe(200);
    const final = await post(`${scene.commentUrl(scene.comments.c2.id)}/disposition/finalise`, convener, { expectedVersion: 2 });
    expect(final.json()).toMatchObject({ status: 'final', response: { kind: 'object', text: 'It is misspelt in the PDF.' } });
    const objections = await get(`${scene.base}/objections`, participant);
    expect(objections.statusCode).toBe(200);
    expect(objections.json().items.map((i: { comment: { id: string } }) => i.comment.id)).toEqual([scene.comments.c2.id]);
    const late = await post(`${scene.commentUrl(scene.comments.c2.id)}/disposition/response`, commenter2, { response: 'agree', expectedVersion: 3 });
    expect(late.json().code).toBe('disposition_final');
  });

  it('raises the outstanding objections when the next comment period opens', async () => {
    const scene = await adjudicationScene(app);
    const [convener, commenter2] = await Promise.all([sessionFor(app, scene.convener), sessionFor(app, scene.commenter2)]);
    await decide(scene, convener, scene.comments.c2.id, { disposition: 'noted', rationale: 'No change needed.' });
    await post(`${scene.commentUrl(scene.comments.c2.id)}/disposition/response`, commenter2, {
      response: 'object',
      text: 'Please reconsider.',
      expectedVersion: 1,
    });
    const events = recordEvents(['dispositions.objections_outstanding']);
    const res = await post(`${scene.base}/periods`, convener, { revision: 1, opensAt: inHours(1), closesAt: inHours(48) });
    expect(res.statusCode, res.body).toBe(201);
    await app.ctx.events.drain();
    const mine = events.filter((e) => e.payload.documentId === scene.document.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.payload).toMatchObject({ groupId: scene.group.id, periodId: res.json().id, commentIds: [scene.comments.c2.id] });
  });

  it("refuses a response to someone else's disposition (403), even from a convener, and after the deadline (409)", async () => {
    const scene = await adjudicationScene(app);
    const [convener, participant, commenter2] = await Promise.all([
      sessionFor(app, scene.convener),
      sessionFor(app, scene.participant),
      sessionFor(app, scene.commenter2),
    ]);
    await decide(scene, convener, scene.comments.c2.id, { disposition: 'accepted', respondBy: inHours(1) });
    for (const who of [participant, convener]) {
      const res = await post(`${scene.commentUrl(scene.comments.c2.id)}/disposition/response`, who, { response: 'agree', expectedVersion: 1 });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('not_your_comment');
    }
    const badKind = await post(`${scene.commentUrl(scene.comments.c2.id)}/disposition/response`, commenter2, { response: 'maybe', expectedVersion: 1 });
    expect(badKind.json()).toMatchObject({ code: 'invalid_request', field: 'body.response' });
    // The deadline passes (moved into the past directly: the database clock decides).
    await app.prisma.disposition.update({ where: { commentId: scene.comments.c2.id }, data: { respondBy: new Date(Date.now() - 1000) } });
    const late = await post(`${scene.commentUrl(scene.comments.c2.id)}/disposition/response`, commenter2, {
      response: 'object',
      text: 'Too late?',
      expectedVersion: 1,
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('response_deadline_passed');
    expect((await app.prisma.disposition.findUniqueOrThrow({ where: { commentId: scene.comments.c2.id } })).responseKind).toBeNull();
    // Once the deadline has passed, the conveners may finalise without an answer.
    expect((await post(`${scene.commentUrl(scene.comments.c2.id)}/disposition/finalise`, convener, { expectedVersion: 1 })).statusCode).toBe(200);
  });

  it('sets a response deadline on a proposal (future only) and a re-proposal asks the commenter again', async () => {
    const scene = await adjudicationScene(app);
    const [convener, participant] = await Promise.all([sessionFor(app, scene.convener), sessionFor(app, scene.participant)]);
    const undecided = await put(`${scene.commentUrl(scene.comments.c1.id)}/disposition/deadline`, convener, { respondBy: inHours(5), expectedVersion: 0 });
    expect(undecided.json().code).toBe('disposition_not_proposed');
    await decide(scene, convener, scene.comments.c1.id, { disposition: 'accepted' });
    const past = await put(`${scene.commentUrl(scene.comments.c1.id)}/disposition/deadline`, convener, { respondBy: inHours(-1), expectedVersion: 1 });
    expect(past.json()).toMatchObject({ code: 'deadline_in_past', field: 'body.respondBy' });
    const set = await put(`${scene.commentUrl(scene.comments.c1.id)}/disposition/deadline`, convener, {
      respondBy: '2099-01-01T23:59:00Z',
      expectedVersion: 1,
    });
    expect(set.json()).toMatchObject({ respondBy: '2099-01-01T23:59:00.000Z', version: 2 });
    await post(`${scene.commentUrl(scene.comments.c1.id)}/disposition/response`, participant, { response: 'object', text: 'Too vague.', expectedVersion: 2 });
    const revised = await decide(scene, convener, scene.comments.c1.id, {
      disposition: 'accepted_with_modification',
      rationale: 'Made precise.',
      expectedVersion: 3,
    });
    expect(revised.json()).toMatchObject({ status: 'proposed', response: null, respondBy: '2099-01-01T23:59:00.000Z', version: 4 });
  });
});

describe('concurrency', () => {
  it('lets exactly one of two truly concurrent decisions win; the other gets 409 with the current disposition', async () => {
    const scene = await adjudicationScene(app);
    const second = await app.prisma.user.create({ data: { email: `c2-${scene.slug}@example.test`, name: 'Nasser Al Marzouqi', affiliation: 'SG17 / UAE' } });
    await app.prisma.membership.create({ data: { groupId: scene.group.id, userId: second.id, role: 'CONVENER' } });
    const [a, b] = await Promise.all([sessionFor(app, scene.convener), sessionFor(app, second)]);
    for (let round = 0; round < 3; round += 1) {
      const commentId = [scene.comments.c1.id, scene.comments.c2.id, scene.comments.c3.id][round]!;
      const [ra, rb] = await Promise.all([
        decide(scene, a, commentId, { disposition: 'accepted' }),
        decide(scene, b, commentId, { disposition: 'rejected', rationale: 'Out of scope.' }),
      ]);
      const statuses = [ra.statusCode, rb.statusCode].sort();
      expect(statuses).toEqual([200, 409]);
      const [winner, loser] = ra.statusCode === 200 ? [ra, rb] : [rb, ra];
      expect(loser.json()).toMatchObject({
        code: 'disposition_version_conflict',
        current: { version: 1, disposition: winner.json().disposition, status: 'proposed' },
      });
      const stored = await app.prisma.disposition.findUniqueOrThrow({ where: { commentId } });
      expect(stored.version).toBe(1);
      expect(stored.code?.toLowerCase()).toBe(winner.json().disposition);
      expect(await app.prisma.auditEntry.count({ where: { entityType: 'disposition', entityId: stored.id } })).toBe(1);
    }
    // Six writers at once on one comment already at version 0: one wins, five are told.
    const burst = await Promise.all(
      Array.from({ length: 6 }, (_, i) => decide(scene, i % 2 ? a : b, scene.comments.c4.id, { disposition: 'noted', rationale: `Writer ${i}.` })),
    );
    expect(burst.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const won = burst.find((r) => r.statusCode === 200)!.json();
    expect((await app.prisma.disposition.findUniqueOrThrow({ where: { commentId: scene.comments.c4.id } })).rationale).toBe(won.rationale);
  });

  it('answers a stale expectedVersion with 409 and the current state, changing nothing', async () => {
    const scene = await adjudicationScene(app);
    const convener = await sessionFor(app, scene.convener);
    await decide(scene, convener, scene.comments.c1.id, { disposition: 'noted', rationale: 'Already covered.' });
    const stale = await decide(scene, convener, scene.comments.c1.id, { disposition: 'accepted', expectedVersion: 0 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'disposition_version_conflict', current: { disposition: 'noted', rationale: 'Already covered.', version: 1 } });
    expect((await app.prisma.disposition.findUniqueOrThrow({ where: { commentId: scene.comments.c1.id } })).code).toBe('NOTED');
  });
});

describe('working the pile', () => {
  it('filters by state, clause, type, affiliation and assignee, and counts progress', async () => {
    const scene = await adjudicationScene(app);
    const [convener, commenter2] = await Promise.all([sessionFor(app, scene.convener), sessionFor(app, scene.commenter2)]);
    const { c1, c2, c3, c4 } = scene.comments;
    await decide(scene, convener, c1.id, { disposition: 'accepted' });
    await decide(scene, convener, c2.id, { disposition: 'rejected', rationale: 'No.' });
    await post(`${scene.commentUrl(c2.id)}/disposition/response`, commenter2, { response: 'object', text: 'Why?', expectedVersion: 1 });
    await put(`${scene.commentUrl(c4.id)}/disposition/assignee`, convener, { assigneeId: scene.editor.id, expectedVersion: 0 });
    const ids = async (query: string) => {
      const res = await get(`${scene.base}/dispositions${query}`, convener);
      expect(res.statusCode, res.body).toBe(200);
      return res
        .json()
        .items.map((i: { comment: { id: string } }) => i.comment.id)
        .sort();
    };
    const all = await get(`${scene.base}/dispositions`, convener);
    expect(all.json().progress).toEqual({ total: 4, decided: 2, final: 0, text: '2 of 4 decided, 0 final' });
    expect(all.json().items).toHaveLength(4);
    expect(await ids('?state=undecided')).toEqual([c3.id, c4.id].sort());
    expect(await ids('?state=proposed')).toEqual([c1.id, c2.id].sort());
    expect(await ids('?state=objected')).toEqual([c2.id]);
    expect(await ids('?state=final')).toEqual([]);
    expect(await ids('?clause=7.1')).toEqual([c1.id, c4.id].sort());
    expect(await ids('?clause=general')).toEqual([c3.id]);
    expect(await ids('?type=editorial')).toEqual([c2.id, c4.id].sort());
    expect(await ids('?affiliation=sg17%20%2F%20korea%20(republic%20of)')).toEqual([c2.id, c4.id].sort());
    expect(await ids(`?assignee=${scene.editor.id}`)).toEqual([c4.id]);
    expect(await ids('?assignee=none')).toEqual([c1.id, c2.id, c3.id].sort());
    expect(await ids('?type=editorial&clause=7.1')).toEqual([c4.id]);
    const filtered = await get(`${scene.base}/dispositions?type=editorial`, convener);
    expect(filtered.json().filteredProgress.text).toBe('1 of 2 decided, 0 final');
    const bad = await get(`${scene.base}/dispositions?state=maybe`, convener);
    expect(bad.json()).toMatchObject({ code: 'invalid_request', field: 'querystring.state' });
  });

  it('assigns comments only to a convener or editor of the group, and raises dispositions.assigned', async () => {
    const scene = await adjudicationScene(app);
    const convener = await sessionFor(app, scene.convener);
    const events = recordEvents(['dispositions.assigned']);
    const toParticipant = await put(`${scene.commentUrl(scene.comments.c1.id)}/disposition/assignee`, convener, {
      assigneeId: scene.participant.id,
      expectedVersion: 0,
    });
    expect(toParticipant.statusCode).toBe(422);
    expect(toParticipant.json().code).toBe('assignee_not_adjudicator');
    const ok = await put(`${scene.commentUrl(scene.comments.c1.id)}/disposition/assignee`, convener, { assigneeId: scene.editor.id, expectedVersion: 0 });
    expect(ok.json()).toMatchObject({ status: 'undecided', assignee: { id: scene.editor.id, name: scene.editor.name }, version: 1 });
    await app.ctx.events.drain();
    expect(events.filter((e) => e.payload.commentId === scene.comments.c1.id).map((e) => e.payload.assigneeId)).toEqual([scene.editor.id]);
  });

  it('decides a selection in bulk in one transaction and reports each comment', async () => {
    const scene = await adjudicationScene(app);
    const convener = await sessionFor(app, scene.convener);
    const events = recordEvents(['dispositions.proposed']);
    const { c2, c4 } = scene.comments;
    const res = await post(`${scene.base}/dispositions/bulk`, convener, {
      items: [
        { commentId: c2.id, expectedVersion: 0 },
        { commentId: c4.id, expectedVersion: 0 },
      ],
      action: { kind: 'decide', disposition: 'accepted', respondBy: inHours(24) },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().ok).toBe(true);
    expect(
      res.json().results.map((r: { commentId: string; status: number; disposition: { status: string } }) => [r.commentId, r.status, r.disposition.status]),
    ).toEqual([
      [c2.id, 200, 'proposed'],
      [c4.id, 200, 'proposed'],
    ]);
    await app.ctx.events.drain();
    expect(events.filter((e) => e.payload.documentId === scene.document.id)).toHaveLength(2);
  });

  it('writes nothing when one comment of a bulk selection fails, and says which and why', async () => {
    const scene = await adjudicationScene(app);
    const convener = await sessionFor(app, scene.convener);
    const { c1, c2, c3 } = scene.comments;
    await decide(scene, convener, c2.id, { disposition: 'noted', rationale: 'Fine as is.' });
    const events = recordEvents(['dispositions.proposed']);
    const res = await post(`${scene.base}/dispositions/bulk`, convener, {
      items: [
        { commentId: c1.id, expectedVersion: 0 },
        { commentId: c2.id, expectedVersion: 0 },
        { commentId: c3.id, expectedVersion: 0 },
      ],
      action: { kind: 'decide', disposition: 'accepted' },
    });
    expect(res.statusCode).toBe(409);
    const body = res.json();
    expect(body).toMatchObject({ code: 'bulk_not_applied', ok: false });
    expect(body.results.map((r: { status: number; code: string }) => [r.status, r.code])).toEqual([
      [424, 'not_applied'],
      [409, 'disposition_version_conflict'],
      [424, 'not_applied'],
    ]);
    expect(body.results[1].disposition).toMatchObject({ disposition: 'noted', version: 1 });
    expect(await app.prisma.disposition.count({ where: { commentId: { in: [c1.id, c3.id] } } })).toBe(0);
    await app.ctx.events.drain();
    expect(events.filter((e) => e.payload.documentId === scene.document.id)).toEqual([]);
    const dup = await post(`${scene.base}/dispositions/bulk`, convener, {
      items: [
        { commentId: c1.id, expectedVersion: 0 },
        { commentId: c1.id, expectedVersion: 0 },
      ],
      action: { kind: 'finalise' },
    });
    expect(dup.json()).toMatchObject({ code: 'invalid_request', field: 'body.items' });
    const badKind = await post(`${scene.base}/dispositions/bulk`, convener, { items: [{ commentId: c1.id, expectedVersion: 0 }], action: { kind: 'explode' } });
    expect(badKind.statusCode).toBe(400);
    const tooMany = Array.from({ length: 501 }, () => ({ commentId: crypto.randomUUID(), expectedVersion: 0 }));
    const cap = await post(`${scene.base}/dispositions/bulk`, convener, { items: tooMany, action: { kind: 'finalise' } });
    expect(cap.json()).toMatchObject({ code: 'invalid_request', field: 'body.items' });
  });

  it('assigns, sets deadlines and finalises in bulk', async () => {
    const scene = await adjudicationScene(app);
    const convener = await sessionFor(app, scene.convener);
    const { c1, c3 } = scene.comments;
    const items = (v: number) => [
      { commentId: c1.id, expectedVersion: v },
      { commentId: c3.id, expectedVersion: v },
    ];
    expect(
      (await post(`${scene.base}/dispositions/bulk`, convener, { items: items(0), action: { kind: 'assign', assigneeId: scene.convener.id } })).statusCode,
    ).toBe(200);
    expect(
      (
        await post(`${scene.base}/dispositions/bulk`, convener, {
          items: items(1),
          action: { kind: 'decide', disposition: 'deferred', rationale: 'Future work.' },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await post(`${scene.base}/dispositions/bulk`, convener, { items: items(2), action: { kind: 'set_deadline', respondBy: inHours(3) } })).statusCode,
    ).toBe(200);
    const early = await post(`${scene.base}/dispositions/bulk`, convener, { items: items(3), action: { kind: 'finalise' } });
    expect(early.json().results.map((r: { code: string }) => r.code)).toEqual(['response_window_open', 'response_window_open']);
    await app.prisma.disposition.updateMany({ where: { commentId: { in: [c1.id, c3.id] } }, data: { respondBy: new Date(Date.now() - 1) } });
    const final = await post(`${scene.base}/dispositions/bulk`, convener, { items: items(3), action: { kind: 'finalise' } });
    expect(final.statusCode, final.body).toBe(200);
    const pile = await get(`${scene.base}/dispositions`, convener);
    expect(pile.json().progress.text).toBe('2 of 4 decided, 2 final');
  });
});

describe('implemented in', () => {
  it('names the implementing revision; the revision lists per clause the comments it resolves; the comment shows its whole path', async () => {
    const scene = await adjudicationScene(app);
    const [convener, editor, participant] = await Promise.all([
      sessionFor(app, scene.convener),
      sessionFor(app, scene.editor),
      sessionFor(app, scene.participant),
    ]);
    const { c1, c2 } = scene.comments;
    await decide(scene, convener, c1.id, { disposition: 'accepted_with_modification', rationale: 'Shorter.', adoptedText: 'Tamper-resistant storage.' });
    await post(`${scene.commentUrl(c1.id)}/disposition/response`, participant, { response: 'agree', text: 'Fine.', expectedVersion: 1 });
    await post(`${scene.commentUrl(c1.id)}/disposition/finalise`, convener, { expectedVersion: 2 });
    await decide(scene, convener, c2.id, { disposition: 'rejected', rationale: 'Correct already.' });
    // Revision 2: clause 7.1 renumbered to 7.2 (carry-forward as the comments issue records it).
    const rev2 = await app.prisma.revision.create({
      data: {
        documentId: scene.document.id,
        sequence: 2,
        label: "Conveners' draft",
        format: 'MARKDOWN',
        notes: [],
        postedById: scene.convener.id,
        clauses: {
          create: [
            { position: 0, number: '1', heading: 'Scope', html: '', text: '' },
            { position: 1, number: '7.2', heading: 'Security threats for sensor/devices', html: '', text: '' },
          ],
        },
      },
      include: { clauses: true },
    });
    const moved = rev2.clauses.find((c) => c.number === '7.2')!;
    await app.prisma.commentCarryForward.create({
      data: { commentId: c1.id, revisionId: rev2.id, clauseId: moved.id, reason: 'SAME_HEADING', similarity: 0.9 },
    });

    const notAccepted = await put(`${scene.commentUrl(c2.id)}/disposition/implemented-in`, convener, { revision: 2, expectedVersion: 1 });
    expect(notAccepted.json().code).toBe('nothing_to_implement');
    const missing = await put(`${scene.commentUrl(c1.id)}/disposition/implemented-in`, editor, { revision: 9, expectedVersion: 3 });
    expect(missing.statusCode).toBe(404);
    const byParticipant = await put(`${scene.commentUrl(c1.id)}/disposition/implemented-in`, participant, { revision: 2, expectedVersion: 3 });
    expect(byParticipant.statusCode).toBe(403);
    const set = await put(`${scene.commentUrl(c1.id)}/disposition/implemented-in`, editor, { revision: 2, expectedVersion: 3 });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ status: 'final', implementedIn: { id: rev2.id, sequence: 2, label: "Conveners' draft" }, version: 4 });

    const resolved = await get(`${scene.base}/revisions/2/resolved-comments`, participant);
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(
      resolved.json().clauses.map((c: { number: string; comments: Array<{ comment: { id: string } }> }) => [c.number, c.comments.map((x) => x.comment.id)]),
    ).toEqual([['7.2', [c1.id]]]);

    const path = await get(`${scene.commentUrl(c1.id)}/path`, participant);
    expect(path.statusCode, path.body).toBe(200);
    expect(path.json().steps.map((s: { step: string }) => s.step)).toEqual(['comment', 'disposition', 'response', 'final', 'revision']);
    expect(path.json()).toMatchObject({
      comment: { id: c1.id, clauseNumber: '7.1', type: 'technical' },
      disposition: { disposition: 'accepted_with_modification', response: { kind: 'agree', text: 'Fine.' } },
      implementedClause: { number: '7.2', heading: 'Security threats for sensor/devices' },
    });
    expect(path.json().steps.at(-1).text).toBe("Implemented in revision 2 (Conveners' draft), clause 7.2.");
  });
});

describe('who sees drafts and assignments', () => {
  it('shows the pile to conveners, editors and the operator only', async () => {
    const scene = await adjudicationScene(app);
    const s = await sceneSessions(app, scene);
    for (const [who, status] of [
      [s.convener, 200],
      [s.editor, 200],
      [s.operator, 200],
      [s.participant, 403],
      [s.observer, 403],
      [s.otherConvener, 404],
    ] as const) {
      expect((await get(`${scene.base}/dispositions`, who)).statusCode).toBe(status);
    }
  });
});

describe('the realtime presenter', () => {
  it('presents a disposition event as members see it: a draft as undecided, no assignee, no e-mail', async () => {
    const scene = await adjudicationScene(app);
    const [editor, convener] = await Promise.all([sessionFor(app, scene.editor), sessionFor(app, scene.convener)]);
    const ids = { commentId: scene.comments.c1.id, documentId: scene.document.id };
    expect(await presentDispositionEvent(app.prisma, ids)).toBeNull();
    await put(`${scene.commentUrl(scene.comments.c1.id)}/disposition/assignee`, convener, { assigneeId: scene.editor.id, expectedVersion: 0 });
    await decide(scene, editor, scene.comments.c1.id, { disposition: 'rejected', rationale: 'Draft.', expectedVersion: 1 });
    expect(await presentDispositionEvent(app.prisma, ids)).toMatchObject({
      disposition: { status: 'undecided', disposition: null, rationale: '', assignee: null },
    });
    await post(`${scene.commentUrl(scene.comments.c1.id)}/disposition/confirm`, convener, { expectedVersion: 2 });
    const proposed = await presentDispositionEvent(app.prisma, ids);
    expect(proposed).toMatchObject({ disposition: { status: 'proposed', disposition: 'rejected', rationale: 'Draft.', assignee: null, draftedBy: null } });
    expect(JSON.stringify(proposed)).not.toContain('@example.test');
    const participant = await sessionFor(app, scene.participant);
    expect(proposed!.disposition).toEqual((await get(`${scene.commentUrl(scene.comments.c1.id)}/disposition`, participant)).json().disposition);
    // Logged for realtime in the deciding transaction, on the document's stream, as members see it.
    const logged = await app.prisma.realtimeEvent.findMany({ where: { stream: `document:${scene.document.id}` }, orderBy: { seq: 'asc' } });
    expect(logged.map((e) => [e.name, (e.data as { disposition: { status: string } }).disposition.status])).toEqual([
      ['dispositions.assigned', 'undecided'],
      ['dispositions.drafted', 'undecided'],
      ['dispositions.proposed', 'proposed'],
    ]);
    expect(logged.every((e) => e.readAction === 'comments.read')).toBe(true);
    // The logged event is the disposition exactly as a member reads it (the use case presents what it wrote).
    expect(logged.at(-1)!.data).toEqual({ disposition: proposed!.disposition });
  });
});

describe('what a change answers', () => {
  it('is the disposition as stored, for every kind of change: the answer, the audit entry and the live event all match a fresh read', async () => {
    const scene = await adjudicationScene(app);
    const [convener, editor, participant] = await Promise.all([
      sessionFor(app, scene.convener),
      sessionFor(app, scene.editor),
      sessionFor(app, scene.participant),
    ]);
    const c1 = scene.comments.c1.id;
    const url = scene.commentUrl(c1);
    const read = async (s: Session) => (await get(`${url}/disposition`, s)).json().disposition;
    await app.prisma.revision.create({
      data: { documentId: scene.document.id, sequence: 2, label: 'Revised', format: 'MARKDOWN', notes: [], postedById: scene.convener.id },
    });
    const steps: Array<[string, Session, () => Promise<{ statusCode: number; body: string; json(): Record<string, unknown> }>]> = [
      ['drafted', editor, () => decide(scene, editor, c1, { disposition: 'accepted_with_modification', rationale: 'Shorter.', adoptedText: 'Short.' })],
      ['assigned', convener, () => put(`${url}/disposition/assignee`, convener, { assigneeId: scene.editor.id, expectedVersion: 1 })],
      ['proposed', convener, () => post(`${url}/disposition/confirm`, convener, { expectedVersion: 2, respondBy: inHours(72) })],
      ['deadline_set', convener, () => put(`${url}/disposition/deadline`, convener, { respondBy: inHours(96), expectedVersion: 3 })],
      ['responded', participant, () => post(`${url}/disposition/response`, participant, { response: 'object', text: 'Too short.', expectedVersion: 4 })],
      ['finalised', convener, () => post(`${url}/disposition/finalise`, convener, { expectedVersion: 5 })],
      ['implemented', editor, () => put(`${url}/disposition/implemented-in`, editor, { revision: 2, expectedVersion: 6 })],
    ];
    for (const [action, who, change] of steps) {
      const res = await change();
      expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
      const answer = res.json();
      // The answer is presented for whoever asked: a fresh read by the same person.
      expect(answer, action).toEqual(await read(who));
      const asAdjudicators = await read(convener);
      const audit = await app.prisma.auditEntry.findFirstOrThrow({
        where: { entityType: 'disposition', entityId: answer.id as string, action: `dispositions.${action}` },
        orderBy: { at: 'desc' },
      });
      expect(audit.after, action).toEqual(asAdjudicators);
      const [event] = await app.prisma.realtimeEvent.findMany({ where: { stream: `document:${scene.document.id}` }, orderBy: { seq: 'desc' }, take: 1 });
      expect(event!.name, action).toBe(`dispositions.${action}`);
      expect(event!.data, action).toEqual({ disposition: await read(participant) });
    }
    expect(await read(convener)).toMatchObject({
      status: 'final',
      version: 7,
      assignee: { id: scene.editor.id },
      draftedBy: { id: scene.editor.id },
      proposedBy: { id: scene.convener.id },
      finalisedBy: { id: scene.convener.id },
      finalisedOver: 'objection',
      implementedIn: { sequence: 2, label: 'Revised' },
      response: { kind: 'object', text: 'Too short.' },
    });
  });
});
