// Personal data: a person's download of everything held about them, the operator's anonymisation
// on request (the group's record keeps the contributions under "A former participant"), the
// registry other modules add their data to, and the retention of what is kept only for a while.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, createUser, signIn, type Session } from '../helpers/factories.ts';
import { inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';
import { closeAllSockets, connect, listen } from '../helpers/sockets.ts';
import { runRetention } from '../../server/modules/privacy/retention.ts';
import { RETENTION_QUEUE } from '../../server/modules/privacy/retention.ts';

let app: TestApp;
let url: string;
let operator: Session;
beforeAll(async () => {
  app = await createTestApp();
  url = await listen(app);
  operator = await signIn(app, (await createUser(app, { isOperator: true })).email);
});
afterAll(async () => {
  closeAllSockets();
  await app.close();
});

/** A group whose participant commented on clause 7.1 and subscribed to the digests. */
async function participantWithComment() {
  const cast = await createCastedGroup(app);
  const [convener, participant] = await Promise.all([signIn(app, cast.convener.email), signIn(app, cast.participant.email)]);
  const slug = cast.group.slug;
  const doc = await postDocument(app, slug, convener);
  const revision = await postMarkdownRevision(app, slug, doc.id, convener);
  await openPeriodApi(app, slug, doc.id, convener, 1, inHours(-1), inHours(24));
  const base = `/api/groups/${slug}/documents/${doc.id}`;
  const res = await app.inject({
    method: 'POST',
    url: `${base}/revisions/1/comments`,
    headers: participant.headers,
    payload: { clauseId: revision.clauses.find((c) => c.number === '7.1')!.id, type: 'technical', body: '=Keys need tamper resistance, "really".' },
  });
  expect(res.statusCode, res.body).toBe(201);
  await app.prisma.digestSubscription.create({
    data: { groupId: cast.group.id, email: cast.participant.email, userId: cast.participant.id, state: 'CONFIRMED' },
  });
  return { cast, convener, participant, base, commentId: res.json().id as string };
}

describe('a person’s download of their data', () => {
  it('holds their account, memberships, sessions, comments with decisions, subscriptions and activity, and nothing secret or about others', async () => {
    const s = await participantWithComment();
    const res = await app.inject({ method: 'GET', url: '/api/me/personal-data', headers: { cookie: s.participant.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="convene-personal-data\.json"/);
    const data = res.json();
    expect(data.person).toMatchObject({ id: s.cast.participant.id, email: s.cast.participant.email });
    expect(Object.keys(data.sections)).toEqual(expect.arrayContaining(['account', 'sign_ins', 'comments', 'group_work', 'mail', 'activity']));
    expect(data.sections.account.memberships).toEqual([expect.objectContaining({ group: s.cast.group.slug, role: 'participant' })]);
    expect(data.sections.sign_ins.sessions.length).toBeGreaterThanOrEqual(1);
    expect(data.sections.sign_ins.signInLinks.length).toBeGreaterThanOrEqual(1);
    expect(data.sections.comments).toEqual([expect.objectContaining({ id: s.commentId, clause: '7.1', type: 'technical', disposition: null })]);
    expect(data.sections.mail.digestSubscriptions).toEqual([expect.objectContaining({ group: s.cast.group.slug, state: 'confirmed' })]);
    expect(data.sections.activity.some((e: { action: string }) => e.action.startsWith('comment'))).toBe(true);
    // No secrets (session and link hashes, CSRF tokens) and nobody else's address.
    expect(res.body).not.toMatch(/tokenHash|csrfToken/);
    expect(res.body).not.toContain(s.cast.convener.email);
  });

  it('gives their comments as CSV a spreadsheet reads, formulas neutralised', async () => {
    const s = await participantWithComment();
    const res = await app.inject({ method: 'GET', url: '/api/me/personal-data/comments.csv', headers: { cookie: s.participant.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parse(res.rawPayload, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toEqual([expect.objectContaining({ comment_id: s.commentId, group: s.cast.group.slug, clause: '7.1', type: 'technical', status: 'open' })]);
    expect(rows[0]!.comment).toBe(`'=Keys need tamper resistance, "really".`);
    // The convener commented nothing: an empty sheet with its header.
    const none = await app.inject({ method: 'GET', url: '/api/me/personal-data/comments.csv', headers: { cookie: s.convener.cookie } });
    expect(parse(none.rawPayload, { bom: true, columns: true })).toEqual([]);
  });
});

describe('the operator anonymises a person', () => {
  it('replaces name and affiliation, removes the address, sessions, links and subscriptions; the record keeps the comment under “A former participant”; audited', async () => {
    const s = await participantWithComment();
    const person = s.cast.participant;
    const socket = await connect(url, { cookie: s.participant.cookie });
    const closed = new Promise<string>((resolve) => socket.on('disconnect', resolve));
    const res = await app.inject({
      method: 'POST',
      url: `/api/admin/users/${person.id}/anonymise`,
      headers: operator.headers,
      payload: { keepAffiliation: false },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: person.id, name: 'A former participant', affiliation: '' });
    expect(res.json().changed.sign_ins.sessions).toBeGreaterThanOrEqual(1);

    const user = await app.prisma.user.findUniqueOrThrow({ where: { id: person.id } });
    expect(user).toMatchObject({ name: 'A former participant', affiliation: '' });
    expect(user.email).not.toContain(person.email.split('@')[0]);
    expect(user.email).toMatch(/@removed\.invalid$/);
    expect(user.anonymisedAt).toBeInstanceOf(Date);
    expect(await app.prisma.session.count({ where: { userId: person.id } })).toBe(0);
    expect(await app.prisma.signInToken.count({ where: { email: person.email } })).toBe(0);
    expect(await app.prisma.digestSubscription.count({ where: { email: person.email } })).toBe(0);
    expect(await app.prisma.membership.count({ where: { userId: person.id } })).toBe(0);
    // Signed out everywhere at once: HTTP and the open socket.
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: s.participant.cookie } })).statusCode).toBe(401);
    expect(await closed).toBe('io server disconnect');

    // The group's record: the comment stays, under the replacement name.
    const list = await app.inject({ method: 'GET', url: `${s.base}/comments`, headers: { cookie: s.convener.cookie } });
    const comment = list.json().comments.find((c: { id: string }) => c.id === s.commentId);
    expect(comment.author).toMatchObject({ name: 'A former participant' });
    expect(list.body).not.toContain(person.name);

    // Audited, without the name or address it removed.
    const audit = await app.prisma.auditEntry.findFirstOrThrow({ where: { action: 'privacy.person_anonymised', entityId: person.id } });
    expect(audit.actorId).not.toBeNull();
    const written = JSON.stringify({ before: audit.before, after: audit.after });
    expect(written).not.toContain(person.email);
    expect(written).not.toContain(person.name);
    // No audit snapshot anywhere still holds the address.
    const leftovers = await app.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "AuditEntry" WHERE strpos(coalesce("before"::text, '') || coalesce("after"::text, ''), ${person.email}) > 0`;
    expect(leftovers[0]!.n).toBe(0);

    // Once only.
    const again = await app.inject({
      method: 'POST',
      url: `/api/admin/users/${person.id}/anonymise`,
      headers: operator.headers,
      payload: { keepAffiliation: false },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('person_already_anonymised');
  });

  it('keeps the affiliation beside the contributions when the person allowed it', async () => {
    const person = await createUser(app, { affiliation: 'SG17 / Keepland' });
    const res = await app.inject({
      method: 'POST',
      url: `/api/admin/users/${person.id}/anonymise`,
      headers: operator.headers,
      payload: { keepAffiliation: true },
    });
    expect(res.json()).toMatchObject({ name: 'A former participant', affiliation: 'SG17 / Keepland' });
  });

  it('rewrites the commenter in published final reports (frozen tables), keeping others as they were', async () => {
    const person = await createUser(app, { affiliation: 'SG17 / Keepland' });
    const { group } = await createCastedGroup(app);
    const document = await app.prisma.document.create({ data: { groupId: group.id, title: 'Frozen report' } });
    const revision = await app.prisma.revision.create({ data: { documentId: document.id, sequence: 1, label: 'Final', format: 'MARKDOWN' } });
    const rows = [
      { number: 1, commenter: `${person.name} — SG17 / Keepland`, organisation: 'SG17 / Keepland', comment: 'Mine.' },
      { number: 2, commenter: 'Someone Else — SG20', organisation: 'SG20', comment: 'Theirs.' },
    ];
    const report = await app.prisma.finalReport.create({
      data: { documentId: document.id, revisionId: revision.id, dispositionTable: { rows, statistics: {} } },
    });
    const res = await app.inject({
      method: 'POST',
      url: `/api/admin/users/${person.id}/anonymise`,
      headers: operator.headers,
      payload: { keepAffiliation: true },
    });
    expect(res.json().changed.activity.finalReports).toBe(1);
    const table = (await app.prisma.finalReport.findUniqueOrThrow({ where: { id: report.id } })).dispositionTable as { rows: typeof rows };
    expect(table.rows.map((r) => r.commenter)).toEqual(['A former participant — SG17 / Keepland', 'Someone Else — SG20']);
    expect(table.rows[0]!.comment).toBe('Mine.');
  });

  it('refuses to anonymise an operator, and an unknown id, changing nothing', async () => {
    const other = await createUser(app, { isOperator: true });
    const res = await app.inject({
      method: 'POST',
      url: `/api/admin/users/${other.id}/anonymise`,
      headers: operator.headers,
      payload: { keepAffiliation: false },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('operator_not_anonymisable');
    expect(await app.prisma.user.findUniqueOrThrow({ where: { id: other.id } })).toMatchObject({ name: other.name, email: other.email, anonymisedAt: null });
    const missing = await app.inject({
      method: 'POST',
      url: '/api/admin/users/0190a0a0-0000-7000-8000-000000000000/anonymise',
      headers: operator.headers,
      payload: { keepAffiliation: false },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('runs the providers other modules register: their data is in the download and anonymised with the rest', async () => {
    const person = await createUser(app);
    const held = new Map([[person.email, { submission: 'Our response to the consultation', respondent: person.email }]]);
    app.personalData.register({
      name: 'test_consultations',
      collect: async (_ctx, subject) => held.get(subject.email) ?? null,
      anonymise: async (_tx, subject) => ({ responses: held.delete(subject.email) ? 1 : 0 }),
    });
    const s = await signIn(app, person.email);
    const data = (await app.inject({ method: 'GET', url: '/api/me/personal-data', headers: { cookie: s.cookie } })).json();
    expect(data.sections.test_consultations).toEqual({ submission: 'Our response to the consultation', respondent: person.email });
    const res = await app.inject({
      method: 'POST',
      url: `/api/admin/users/${person.id}/anonymise`,
      headers: operator.headers,
      payload: { keepAffiliation: false },
    });
    expect(res.json().changed.test_consultations).toEqual({ responses: 1 });
    expect(held.has(person.email)).toBe(false);
  });
});

describe('retention', () => {
  it('deletes sign-in links and sessions ended longer ago than their retention, keeps the rest, and empties raw inbound mail processed longer ago than its own', async () => {
    const user = await createUser(app);
    const day = 86_400_000;
    const ago = (days: number) => new Date(Date.now() - days * day);
    const [oldLink, freshLink] = await Promise.all([
      app.prisma.signInToken.create({ data: { tokenHash: `old-${user.id}`, email: user.email, expiresAt: ago(8), usedAt: ago(8) } }),
      app.prisma.signInToken.create({ data: { tokenHash: `fresh-${user.id}`, email: user.email, expiresAt: ago(1) } }),
    ]);
    const session = (hash: string, data: { expiresAt: Date; revokedAt?: Date; lastSeenAt?: Date }) =>
      app.prisma.session.create({ data: { tokenHash: hash, userId: user.id, csrfToken: 'x', ...data } });
    const [revokedLong, idleLong, revokedRecently, live] = await Promise.all([
      session(`s1-${user.id}`, { expiresAt: ago(-10), revokedAt: ago(31) }),
      session(`s2-${user.id}`, { expiresAt: ago(-10), lastSeenAt: ago(60) }),
      session(`s3-${user.id}`, { expiresAt: ago(-10), revokedAt: ago(2) }),
      session(`s4-${user.id}`, { expiresAt: ago(-10) }),
    ]);
    // Replies received by mail: the raw bytes go once processed long enough ago; the log line stays.
    const inbound = (messageId: string, processedAt: Date | null) =>
      app.prisma.inboundMessage.create({
        data: { messageId, source: 'smtp', envelopeTo: [], raw: Buffer.from('From: someone\r\n\r\nHello'), processedAt, outcome: 'accepted' },
      });
    const [oldMail, recentMail, pendingMail] = await Promise.all([
      inbound(`<old-${user.id}@example.org>`, ago(31)),
      inbound(`<recent-${user.id}@example.org>`, ago(2)),
      inbound(`<pending-${user.id}@example.org>`, null),
    ]);
    const deleted = await runRetention(app.ctx, app.retention.all());
    expect(Object.keys(deleted).sort()).toEqual(['ended sessions', 'raw inbound mail', 'sign-in links']);
    const mails = new Map(
      (await app.prisma.inboundMessage.findMany({ where: { id: { in: [oldMail.id, recentMail.id, pendingMail.id] } } })).map((m) => [m.id, m]),
    );
    expect(mails.get(oldMail.id)?.raw.length, 'processed 31 days ago').toBe(0);
    expect(mails.get(oldMail.id)?.outcome, 'its log line stays').toBe('accepted');
    expect(mails.get(recentMail.id)?.raw.length, 'processed 2 days ago').toBeGreaterThan(0);
    expect(mails.get(pendingMail.id)?.raw.length, 'not processed yet').toBeGreaterThan(0);
    const links = await app.prisma.signInToken.findMany({ where: { email: user.email } });
    expect(links.map((l) => l.id)).toEqual([freshLink.id]);
    expect(oldLink.id).not.toBe(freshLink.id);
    const sessions = (await app.prisma.session.findMany({ where: { userId: user.id } })).map((s) => s.id).sort();
    expect(sessions).toEqual([revokedRecently.id, live.id].sort());
    expect([revokedLong.id, idleLong.id].some((id) => sessions.includes(id))).toBe(false);
    // Scheduled daily (once across instances, by pg-boss).
    const schedules = await app.jobs.boss.getSchedules();
    expect(schedules.some((x: { name: string; cron: string }) => x.name === RETENTION_QUEUE && x.cron === '45 3 * * *')).toBe(true);
  });

  it('keeps /metrics off when no scraper token is configured', async () => {
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer anything-anything-anything-anything' } });
    expect(res.statusCode).toBe(404);
  });
});
