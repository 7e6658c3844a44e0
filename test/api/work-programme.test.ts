// The work programme: work items with their A.1 fields and editors, the lifecycle and its
// audited history, links to documents (one page shows a text's whole history), filters, CSV and
// the public read of a group whose outputs are public.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, createGroup, createUser, sessionFor, type Session } from '../helpers/factories.ts';
import { postDocument, postMarkdownRevision } from '../helpers/documents.ts';
import { createWorkItem, moveTo } from '../helpers/consultations.ts';
import { checkTransition, nextStatuses } from '../../server/modules/work-programme/work-item-state.ts';

let app: TestApp;
let cast: Awaited<ReturnType<typeof createCastedGroup>>;
let convener: Session;
let participant: Session;
let slug: string;

beforeAll(async () => {
  app = await createTestApp();
  cast = await createCastedGroup(app);
  slug = cast.group.slug;
  [convener, participant] = await Promise.all([sessionFor(app, cast.convener.email), sessionFor(app, cast.participant.email)]);
});
afterAll(async () => {
  await app.close();
});

const A1 = {
  acronym: 'X.iotsec-2',
  title: 'Security framework for Internet of Things',
  question: '6/17',
  approvalProcess: 'tap',
  timing: '2018-02',
  scope: 'This Recommendation describes the security framework for Internet of Things.',
  summary: 'The recent advancement of Internet of Things technology has facilitated the implementation of a low-cost, low-power network and devices.',
  baseText: 'Annex 2',
  liaisons: 'ISO/IEC JTC 1/SC27',
  supportingMembers: 'China, China Unicom, ETRI, KISA, Korea (Republic of), Uganda, ZTE.',
};

describe('the lifecycle as a table', () => {
  it('lets a TAP text be determined but never consented, and an agreement text skip consultation', () => {
    expect(nextStatuses('IN_PROGRESS', 'TAP')).toEqual(['DETERMINED', 'WITHDRAWN', 'DEFERRED']);
    expect(nextStatuses('IN_PROGRESS', 'AAP')).toEqual(['CONSENTED', 'WITHDRAWN', 'DEFERRED']);
    expect(nextStatuses('IN_PROGRESS', 'AGREEMENT')).toEqual(['AGREED', 'WITHDRAWN', 'DEFERRED']);
    expect(checkTransition('IN_PROGRESS', 'CONSENTED', 'TAP')).toMatchObject({ ok: false, reason: 'wrong_process' });
    expect(checkTransition('APPROVED', 'IN_PROGRESS', 'TAP')).toMatchObject({ ok: false, reason: 'final', allowed: [] });
    expect(checkTransition('NEW_WORK_ITEM', 'APPROVED', 'TAP')).toMatchObject({ ok: false, reason: 'not_next' });
  });
});

describe('work items', () => {
  it('keeps the A.1 fields and editors with their affiliations, and moves through the lifecycle with a dated, audited history', async () => {
    const item = await createWorkItem(app, slug, convener, {
      ...A1,
      editors: [{ userId: cast.editor.id, affiliation: 'Korea (Republic of)' }, { userId: cast.participant.id }],
    });
    expect(item).toMatchObject({ status: 'new_work_item', version: 1 });
    let moved = await moveTo(app, slug, convener, item, 'in_progress');
    moved = await moveTo(app, slug, convener, moved, 'determined');
    const page = (await app.inject({ method: 'GET', url: `/api/groups/${slug}/work-items/${item.id}`, headers: { cookie: participant.cookie } })).json();
    expect(page).toMatchObject({
      acronym: 'X.iotsec-2',
      question: '6/17',
      approvalProcess: 'tap',
      timing: '2018-02',
      baseText: 'Annex 2',
      status: 'determined',
      nextStatuses: ['consultation', 'in_progress', 'withdrawn', 'deferred'],
      editors: [
        { id: cast.editor.id, affiliation: 'Korea (Republic of)' },
        { id: cast.participant.id, affiliation: 'SG17 / Testland' },
      ],
      abilities: { manage: false },
    });
    expect(JSON.stringify(page)).not.toContain('@');
    expect(page.history.map((h: { from: string | null; to: string }) => [h.from, h.to])).toEqual([
      [null, 'new_work_item'],
      ['new_work_item', 'in_progress'],
      ['in_progress', 'determined'],
    ]);
    expect(page.history[2].by).toEqual({ id: cast.convener.id, name: cast.convener.name });
    const audit = await app.prisma.auditEntry.findMany({ where: { entityId: item.id, action: 'workItems.statusChanged' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => (a.after as { status: string }).status)).toEqual(['IN_PROGRESS', 'DETERMINED']);
    expect(audit[1]!.actorId).toBe(cast.convener.id);
  });

  it('refuses a move the lifecycle does not allow with 409 and the allowed statuses, and changes nothing', async () => {
    const item = await createWorkItem(app, slug, convener, { ...A1, acronym: 'X.iotsec-3' });
    const res = await app.inject({
      method: 'POST',
      url: `/api/groups/${slug}/work-items/${item.id}/status`,
      headers: convener.headers,
      payload: { to: 'approved', expectedVersion: 1 },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'status_transition_not_allowed', allowed: ['in_progress', 'withdrawn', 'deferred'] });
    expect(res.json().message).toMatch(/new work item to approved/);
    const after = await app.prisma.workItem.findUniqueOrThrow({ where: { id: item.id } });
    expect(after).toMatchObject({ status: 'NEW_WORK_ITEM', version: 1 });
  });

  it('refuses a stale version with 409 work_item_changed', async () => {
    const item = await createWorkItem(app, slug, convener, { ...A1, acronym: 'X.stale' });
    await moveTo(app, slug, convener, item, 'in_progress');
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/groups/${slug}/work-items/${item.id}`,
      headers: convener.headers,
      payload: { number: 'X.1', expectedVersion: 1 },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'work_item_changed', currentVersion: 2 });
  });

  it('refuses an editor who is not a member, a document of another group and a duplicate acronym, naming the field', async () => {
    const outsiderDoc = await app.prisma.document.create({ data: { groupId: (await createGroup(app)).id, title: 'Elsewhere' } });
    const stranger = await createUser(app);
    const bad = async (body: object) =>
      app.inject({ method: 'POST', url: `/api/groups/${slug}/work-items`, headers: convener.headers, payload: { ...A1, acronym: 'X.bad', ...body } });
    const r1 = await bad({ editors: [{ userId: stranger.id }] });
    expect(r1.statusCode).toBe(400);
    expect(r1.json()).toMatchObject({ code: 'editor_not_member', field: 'body.editors.0.userId' });
    const r2 = await bad({ documentIds: [outsiderDoc.id] });
    expect(r2.json()).toMatchObject({ code: 'document_not_in_group', field: 'body.documentIds.0' });
    await createWorkItem(app, slug, convener, { ...A1, acronym: 'X.dup' });
    const r3 = await bad({ acronym: 'X.dup' });
    expect(r3.statusCode).toBe(409);
    expect(r3.json()).toMatchObject({ code: 'work_item_exists' });
    expect(await app.prisma.workItem.count({ where: { groupId: cast.group.id, acronym: 'X.bad' } })).toBe(0);
  });

  it('shows the history of its text: linked documents with revisions and comment periods', async () => {
    const doc = await postDocument(app, slug, convener, 'Draft X.linked');
    await postMarkdownRevision(app, slug, doc.id, convener);
    const item = await createWorkItem(app, slug, convener, { ...A1, acronym: 'X.linked', documentIds: [doc.id] });
    const page = (await app.inject({ method: 'GET', url: `/api/groups/${slug}/work-items/${item.id}`, headers: { cookie: convener.cookie } })).json();
    expect(page.documents).toEqual([
      expect.objectContaining({
        id: doc.id,
        title: 'Draft X.linked',
        state: 'draft',
        revisions: [expect.objectContaining({ sequence: 1 })],
        finalReport: null,
      }),
    ]);
  });
});

describe('the programme', () => {
  it('filters by status, process and words, and exports the same rows as CSV', async () => {
    const g = await createCastedGroup(app);
    const c = await sessionFor(app, g.convener.email);
    const a = await createWorkItem(app, g.group.slug, c, { ...A1, acronym: 'X.alpha', title: 'Alpha, "quoted"' });
    await moveTo(app, g.group.slug, c, a, 'in_progress');
    await createWorkItem(app, g.group.slug, c, { ...A1, acronym: 'X.beta', approvalProcess: 'agreement', title: '=cmd formula' });
    const list = async (query: string) =>
      (await app.inject({ method: 'GET', url: `/api/groups/${g.group.slug}/work-items?${query}`, headers: { cookie: c.cookie } }))
        .json()
        .workItems.map((w: { acronym: string }) => w.acronym);
    expect(await list('')).toEqual(['X.alpha', 'X.beta']);
    expect(await list('status=in_progress')).toEqual(['X.alpha']);
    expect(await list('approvalProcess=agreement')).toEqual(['X.beta']);
    expect(await list('q=ALPHA')).toEqual(['X.alpha']);
    const csv = await app.inject({ method: 'GET', url: `/api/groups/${g.group.slug}/work-items.csv`, headers: { cookie: c.cookie } });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Group,Question,Work item,Number,Title,Approval process,Timing,Status,Status since (UTC),Editors');
    expect(lines[1]).toContain('X.alpha,,"Alpha, ""quoted""",TAP,2018-02,in progress');
    expect(lines[2]).toContain("'=cmd formula");
  });

  it('is readable without signing in only when the group outputs are public, without drafts or who moved what', async () => {
    const c1 = await createUser(app);
    const pub = await createGroup(app, [{ user: c1, role: 'CONVENER' }], { visibility: 'PUBLIC_OUTPUTS' });
    const s = await sessionFor(app, c1.email);
    const doc = await postDocument(app, pub.slug, s, 'Unpublished draft');
    const item = await createWorkItem(app, pub.slug, s, { ...A1, documentIds: [doc.id] });
    const list = await app.inject({ method: 'GET', url: `/api/public/groups/${pub.slug}/work-items` });
    expect(list.statusCode).toBe(200);
    expect(list.json().workItems[0]).toMatchObject({ acronym: 'X.iotsec-2' });
    const page = (await app.inject({ method: 'GET', url: `/api/public/groups/${pub.slug}/work-items/${item.id}` })).json();
    expect(page.documents).toEqual([]);
    expect(page.history[0].by).toBeNull();
    const priv = await app.inject({ method: 'GET', url: `/api/public/groups/${slug}/work-items` });
    expect(priv.statusCode).toBe(404);
  });
});
