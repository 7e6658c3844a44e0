// Open consultations: who may read and comment per openness and caller kind, the respondent's path
// (verify an address, state a profile, comment, answer, withdraw, anonymise), moderation, limits,
// the analysis and the CSV, and the disposition loop of an outside comment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, randomIp, unique, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, createUser, latestLink, sessionFromResponse, sessionFor, tokenOf, type Session } from '../helpers/factories.ts';
import { inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

const PROFILE = {
  name: 'Amina Diallo',
  organisation: 'Civic Tech Lab',
  stakeholderGroup: 'civil_society',
  countryCode: 'SN',
  region: 'africa',
  publishName: false,
};

async function scene(settings: { openness: string; outsideModeration?: string; questions?: object[] } = { openness: 'anyone' }) {
  const cast = await createCastedGroup(app);
  const slug = cast.group.slug;
  const convener = await sessionFor(app, cast.convener.email);
  const participant = await sessionFor(app, cast.participant.email);
  const doc = await postDocument(app, slug, convener);
  const rev = await postMarkdownRevision(app, slug, doc.id, convener);
  const period = await openPeriodApi(app, slug, doc.id, convener, 1, inHours(-1), inHours(48));
  const periodUrl = `/api/groups/${slug}/documents/${doc.id}/periods/${period.id}`;
  const res = await app.inject({
    method: 'PUT',
    url: `${periodUrl}/openness`,
    headers: convener.headers,
    payload: { outsideModeration: 'after_review', ...settings },
  });
  expect(res.statusCode, res.body).toBe(200);
  const clause = rev.clauses.find((c) => c.number === '7.1')!;
  return { ...cast, slug, convener, participant, doc, period, periodUrl, publicUrl: `/api/open-periods/${period.id}`, clause, openness: res.json() };
}

/** An outside person through the real path: a consultation link mailed, then used. */
async function verifyOutsider(periodId: string, email = `${unique('respondent')}@example.org`): Promise<Session & { email: string }> {
  const ip = randomIp();
  const req = await app.inject({ method: 'POST', url: `/api/open-periods/${periodId}/verify-email`, payload: { email }, remoteAddress: ip });
  expect(req.statusCode, req.body).toBe(202);
  const token = tokenOf(await latestLink(app, email));
  const res = await app.inject({ method: 'POST', url: '/api/auth/verify', payload: { token }, remoteAddress: ip });
  expect(res.statusCode, res.body).toBe(200);
  return { ...sessionFromResponse(res), email };
}

async function respondent(periodId: string, profile: object = PROFILE) {
  const s = await verifyOutsider(periodId);
  const res = await app.inject({ method: 'PUT', url: `/api/open-periods/${periodId}/participant`, headers: s.headers, payload: profile });
  expect(res.statusCode, res.body).toBe(200);
  return s;
}

const comment = (clauseId: string | null, extra: object = {}) => ({
  clauseId,
  type: 'technical',
  body: 'Physical capture deserves its own countermeasure.',
  proposedChange: 'Add tamper detection.',
  ...extra,
});

async function liaisonContact(sc: Awaited<ReturnType<typeof scene>>, bodyName = 'ISO/IEC JTC 1/SC 27') {
  const email = `${unique('sc27')}@iso.example.org`;
  const res = await app.inject({
    method: 'POST',
    url: `/api/groups/${sc.slug}/documents/${sc.doc.id}/liaisons`,
    headers: sc.convener.headers,
    payload: {
      periodId: sc.period.id,
      title: 'Comments sought on the IoT security draft',
      purpose: 'comment',
      text: 'We are kindly seeking your comments on the draft (see Annex 2).',
      deadline: inHours(24),
      bodies: [{ name: bodyName, contacts: [{ email, name: 'Secretariat' }] }],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  await app.ctx.events.drain();
  const mail = await app.prisma.mailboxMessage.findFirst({ where: { to: email }, orderBy: { createdAt: 'desc' } });
  const link = mail!.text.match(/https?:\/\/\S+\/consult\/[\w-]+\?liaison=[\w%-]+/)![0];
  const token = decodeURIComponent(new URL(link).searchParams.get('liaison')!);
  const used = await app.inject({ method: 'POST', url: `${sc.publicUrl}/liaison-link`, payload: { token } });
  expect(used.statusCode, used.body).toBe(200);
  const c = used.cookies.find((x) => x.name === '__Host-convene_session')!;
  const session = { cookie: `__Host-convene_session=${c.value}`, csrf: used.json().csrfToken as string };
  return { email, liaison: res.json(), headers: { cookie: session.cookie, 'x-csrf-token': session.csrf }, cookie: session.cookie };
}

describe('who reads and who comments, per openness and caller kind', () => {
  type Kind = 'anonymous' | 'unverified' | 'verifiedOutsider' | 'liaisonContact' | 'member' | 'convener';
  // Reading the page (200 or 404) and posting an outside comment (status) per openness.
  const EXPECTED: Record<string, Record<Kind, { read: number; post: number }>> = {
    members: {
      anonymous: { read: 404, post: 401 },
      unverified: { read: 404, post: 401 },
      verifiedOutsider: { read: 404, post: 404 },
      liaisonContact: { read: 404, post: 404 },
      member: { read: 200, post: 409 },
      convener: { read: 200, post: 409 },
    },
    invited_organisations: {
      anonymous: { read: 404, post: 401 },
      unverified: { read: 404, post: 401 },
      verifiedOutsider: { read: 404, post: 404 },
      liaisonContact: { read: 200, post: 201 },
      member: { read: 200, post: 409 },
      convener: { read: 200, post: 409 },
    },
    anyone: {
      anonymous: { read: 200, post: 401 },
      unverified: { read: 200, post: 401 },
      verifiedOutsider: { read: 200, post: 201 },
      liaisonContact: { read: 200, post: 201 },
      member: { read: 200, post: 409 },
      convener: { read: 200, post: 409 },
    },
  };

  it('each caller kind reads and comments as each openness allows, and a refused comment stores nothing', async () => {
    const sc = await scene({ openness: 'anyone' });
    // Everyone is set up while the period is open to anyone (the liaison contact through a liaison), then each openness is set in turn.
    const verified = await respondent(sc.period.id);
    const contact = await liaisonContact(sc);
    const unverifiedEmail = `${unique('pending')}@example.org`;
    await app.inject({ method: 'POST', url: `${sc.publicUrl}/verify-email`, payload: { email: unverifiedEmail }, remoteAddress: randomIp() });
    const callers: Record<Kind, Record<string, string>> = {
      anonymous: {},
      unverified: {},
      verifiedOutsider: verified.headers,
      liaisonContact: contact.headers,
      member: sc.participant.headers,
      convener: sc.convener.headers,
    };
    for (const openness of Object.keys(EXPECTED)) {
      const set = await app.inject({ method: 'PUT', url: `${sc.periodUrl}/openness`, headers: sc.convener.headers, payload: { openness } });
      expect(set.statusCode, set.body).toBe(200);
      for (const [kind, headers] of Object.entries(callers) as [Kind, Record<string, string>][]) {
        const before = await app.prisma.outsideComment.count({ where: { periodId: sc.period.id } });
        const read = await app.inject({ method: 'GET', url: sc.publicUrl, headers: headers.cookie ? { cookie: headers.cookie } : {} });
        expect(read.statusCode, `${openness}: ${kind} reads: ${read.body}`).toBe(EXPECTED[openness]![kind].read);
        const post = await app.inject({ method: 'POST', url: `${sc.publicUrl}/comments`, headers, payload: comment(sc.clause.id) });
        expect(post.statusCode, `${openness}: ${kind} posts: ${post.body}`).toBe(EXPECTED[openness]![kind].post);
        const after = await app.prisma.outsideComment.count({ where: { periodId: sc.period.id } });
        expect(after - before).toBe(post.statusCode === 201 ? 1 : 0);
        if (post.statusCode >= 400) expect(post.json().message).toMatch(/\w+ \w+/);
      }
    }
  });

  it('the public page shows the draft clause by clause and the questions, never members’ comments unless the period publishes them, and no addresses', async () => {
    const sc = await scene({ openness: 'anyone', questions: [{ prompt: 'Which layer matters most?', kind: 'single_choice', choices: ['Device', 'Network'] }] });
    await app.inject({
      method: 'POST',
      url: `/api/groups/${sc.slug}/documents/${sc.doc.id}/revisions/1/comments`,
      headers: sc.participant.headers,
      payload: { clauseId: sc.clause.id, type: 'editorial', body: 'Members-only remark.' },
    });
    const page = await app.inject({ method: 'GET', url: sc.publicUrl });
    expect(page.statusCode).toBe(200);
    const p = page.json();
    expect(p.clauses.map((c: { number: string }) => c.number)).toContain('7.1');
    expect(p.questions[0].choices).toEqual(['Device', 'Network']);
    expect(p.closesAt.utc).toMatch(/UTC/);
    expect(p.me.kind).toBe('anonymous');
    expect(page.body).not.toContain('Members-only remark');
    expect(page.body).not.toContain('@example.test');
    // The document's periods say who may comment.
    const periods = await app.inject({
      method: 'GET',
      url: `/api/groups/${sc.slug}/documents/${sc.doc.id}/periods`,
      headers: { cookie: sc.participant.cookie },
    });
    expect(periods.json().periods[0].openness).toBe('anyone');
    await app.inject({
      method: 'PUT',
      url: `${sc.periodUrl}/openness`,
      headers: sc.convener.headers,
      payload: { openness: 'anyone', publishMemberComments: true },
    });
    expect((await app.inject({ method: 'GET', url: sc.publicUrl })).body).toContain('Members-only remark');
  });

  it('an outsider sees nothing else of the group: its pages answer 404', async () => {
    const sc = await scene();
    const s = await respondent(sc.period.id);
    for (const url of [`/api/groups/${sc.slug}`, `/api/groups/${sc.slug}/documents/${sc.doc.id}/comments`, `${sc.periodUrl}/moderation`]) {
      expect((await app.inject({ method: 'GET', url, headers: { cookie: s.cookie } })).statusCode, url).toBe(404);
    }
  });
});

describe('the respondent', () => {
  it('must state a profile before commenting; an unknown country is a 400 with the field', async () => {
    const sc = await scene();
    const s = await verifyOutsider(sc.period.id);
    const early = await app.inject({ method: 'POST', url: `${sc.publicUrl}/comments`, headers: s.headers, payload: comment(sc.clause.id) });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('participant_profile_required');
    const bad = await app.inject({ method: 'PUT', url: `${sc.publicUrl}/participant`, headers: s.headers, payload: { ...PROFILE, countryCode: 'QQ' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('country_unknown');
    expect(await app.prisma.outsideParticipant.count({ where: { periodId: sc.period.id } })).toBe(0);
  });

  it('never becomes a member, and the page shows them their own address only', async () => {
    const sc = await scene();
    const s = await respondent(sc.period.id);
    const user = await app.prisma.user.findUniqueOrThrow({ where: { email: s.email }, include: { memberships: true } });
    expect(user.memberships).toEqual([]);
    const page = (await app.inject({ method: 'GET', url: sc.publicUrl, headers: { cookie: s.cookie } })).json();
    expect(page.me).toMatchObject({
      kind: 'participant',
      email: s.email,
      participant: { stakeholderGroup: 'civil_society', region: 'africa', publishName: false },
    });
  });

  it('answers free-text, single and multiple choice questions; a second choice on a single-choice question is a 400', async () => {
    const sc = await scene({
      openness: 'anyone',
      questions: [
        { prompt: 'What is missing?', kind: 'free_text' },
        { prompt: 'Which layer matters most?', kind: 'single_choice', choices: ['Device', 'Network', 'Platform'] },
        { prompt: 'Which apply?', kind: 'multiple_choice', choices: ['Labels', 'Updates', 'Audits'] },
      ],
    });
    const [q1, q2, q3] = sc.openness.questions;
    const s = await respondent(sc.period.id);
    const bad = await app.inject({
      method: 'PUT',
      url: `${sc.publicUrl}/answers`,
      headers: s.headers,
      payload: { answers: [{ questionId: q2.id, choices: [0, 1] }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('answer_invalid');
    const ok = await app.inject({
      method: 'PUT',
      url: `${sc.publicUrl}/answers`,
      headers: s.headers,
      payload: {
        answers: [
          { questionId: q1.id, text: 'Supply chain.' },
          { questionId: q2.id, choices: [0] },
          { questionId: q3.id, choices: [0, 2] },
        ],
      },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const page = (await app.inject({ method: 'GET', url: sc.publicUrl, headers: { cookie: s.cookie } })).json();
    expect(page.me.answers).toHaveLength(3);
    // Once answered, the questions stay as asked (the conveners' screen is told, and shows them read-only).
    const openness = await app.inject({ method: 'GET', url: `${sc.periodUrl}/openness`, headers: { cookie: sc.convener.cookie } });
    expect(openness.json()).toMatchObject({ questionsAnswered: true });
    expect(sc.openness.questionsAnswered).toBe(false);
    const change = await app.inject({
      method: 'PUT',
      url: `${sc.periodUrl}/openness`,
      headers: sc.convener.headers,
      payload: { openness: 'anyone', questions: [] },
    });
    expect(change.statusCode).toBe(409);
    expect(change.json().code).toBe('questions_answered');
  });

  it('withdraws a comment before the deadline, but not after it', async () => {
    const sc = await scene({ openness: 'anyone', outsideModeration: 'immediate' });
    const s = await respondent(sc.period.id);
    const first = (await app.inject({ method: 'POST', url: `${sc.publicUrl}/comments`, headers: s.headers, payload: comment(sc.clause.id) })).json();
    const second = (
      await app.inject({ method: 'POST', url: `${sc.publicUrl}/comments`, headers: s.headers, payload: comment(null, { body: 'Whole draft.' }) })
    ).json();
    const w = await app.inject({ method: 'POST', url: `${sc.publicUrl}/comments/${first.id}/withdraw`, headers: s.headers });
    expect(w.statusCode, w.body).toBe(200);
    expect(w.json().withdrawn).toBe(true);
    expect((await app.prisma.comment.findUniqueOrThrow({ where: { id: first.commentId } })).status).toBe('WITHDRAWN');
    await app.prisma.commentPeriod.update({ where: { id: sc.period.id }, data: { closesAt: new Date(Date.now() - 1000) } });
    const late = await app.inject({ method: 'POST', url: `${sc.publicUrl}/comments/${second.id}/withdraw`, headers: s.headers });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('open_consultation_closed');
    const latePost = await app.inject({ method: 'POST', url: `${sc.publicUrl}/comments`, headers: s.headers, payload: comment(null) });
    expect(latePost.statusCode).toBe(409);
  });

  it('after the deadline asks for their identity to be removed: the comment stays, anonymised, and the address is gone', async () => {
    const sc = await scene({ openness: 'anyone', outsideModeration: 'immediate' });
    const s = await respondent(sc.period.id, { ...PROFILE, publishName: true });
    const posted = (await app.inject({ method: 'POST', url: `${sc.publicUrl}/comments`, headers: s.headers, payload: comment(sc.clause.id) })).json();
    await app.prisma.commentPeriod.update({ where: { id: sc.period.id }, data: { closesAt: new Date(Date.now() - 1000) } });
    const before = (await app.inject({ method: 'GET', url: sc.publicUrl })).json();
    expect(before.comments[0].by).toMatchObject({ name: 'Amina Diallo', named: true });
    const res = await app.inject({ method: 'POST', url: `${sc.publicUrl}/anonymise`, headers: s.headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ anonymised: true, name: '', organisation: '' });
    const after = (await app.inject({ method: 'GET', url: sc.publicUrl })).json();
    expect(after.comments).toHaveLength(1);
    expect(after.comments[0].by).toMatchObject({ named: false, name: 'A respondent from civil society, Africa' });
    const author = await app.prisma.comment.findUniqueOrThrow({ where: { id: posted.commentId }, include: { author: true } });
    expect(author.author.email).not.toContain('example.org');
    expect(author.author.name).toBe('A respondent from civil society, Africa');
    // The session ended with the identity.
    expect((await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: s.cookie } })).json().user).toBeNull();
    // The profile was all the account held: the account went through the same anonymisation as the
    // operator's (its sign-in links with the address are gone too), under the respondent's attribution.
    expect(await app.prisma.signInToken.count({ where: { email: s.email } })).toBe(0);
    expect(author.author.anonymisedAt).toBeInstanceOf(Date);
    expect(await app.prisma.auditEntry.count({ where: { action: 'privacy.person_anonymised', entityId: author.authorId } })).toBe(1);
  });
});

describe('personal data of a respondent', () => {
  it('removing their name from one consultation keeps an account that is more than that profile (a member elsewhere) as it is', async () => {
    const sc = await scene({ openness: 'anyone', outsideModeration: 'immediate' });
    const elsewhere = await createCastedGroup(app);
    const s = await respondent(sc.period.id);
    const member = await app.prisma.user.findUniqueOrThrow({ where: { email: s.email } });
    await app.prisma.membership.create({ data: { groupId: elsewhere.group.id, userId: member.id, role: 'PARTICIPANT' } });
    const res = await app.inject({ method: 'POST', url: `${sc.publicUrl}/anonymise`, headers: s.headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ anonymised: true, name: '', organisation: '' });
    const after = await app.prisma.user.findUniqueOrThrow({ where: { id: member.id } });
    expect(after).toMatchObject({ email: s.email, anonymisedAt: null });
    expect(await app.prisma.membership.count({ where: { userId: member.id } })).toBe(1);
    expect(await app.prisma.auditEntry.count({ where: { action: 'privacy.person_anonymised', entityId: member.id } })).toBe(0);
  });

  it('their download holds their profiles, submissions and answers; the operator’s anonymisation clears the profile as the page’s does', async () => {
    const sc = await scene({
      openness: 'anyone',
      outsideModeration: 'immediate',
      questions: [
        { prompt: 'What is missing?', kind: 'free_text' },
        { prompt: 'Which layer matters most?', kind: 'single_choice', choices: ['Device', 'Network', 'Platform'] },
      ],
    });
    const [q1, q2] = sc.openness.questions;
    const s = await respondent(sc.period.id, { ...PROFILE, publishName: true });
    const posted = (await app.inject({ method: 'POST', url: `${sc.publicUrl}/comments`, headers: s.headers, payload: comment(sc.clause.id) })).json();
    const answered = await app.inject({
      method: 'PUT',
      url: `${sc.publicUrl}/answers`,
      headers: s.headers,
      payload: {
        answers: [
          { questionId: q1.id, text: 'Supply chain.' },
          { questionId: q2.id, choices: [1] },
        ],
      },
    });
    expect(answered.statusCode, answered.body).toBe(200);

    const data = (await app.inject({ method: 'GET', url: '/api/me/personal-data', headers: { cookie: s.cookie } })).json();
    expect(data.sections.consultation_responses).toEqual([
      expect.objectContaining({
        consultation: expect.objectContaining({ periodId: sc.period.id, document: sc.doc.title }),
        profile: expect.objectContaining({ name: 'Amina Diallo', organisation: 'Civic Tech Lab', countryCode: 'SN', publishName: true }),
        comments: [expect.objectContaining({ id: posted.id, body: comment(null).body, state: 'published', rejectionReason: null })],
        answers: [
          expect.objectContaining({ question: 'What is missing?', text: 'Supply chain.', choices: [] }),
          expect.objectContaining({ question: 'Which layer matters most?', choices: ['Network'] }),
        ],
      }),
    ]);

    const userId = (await app.prisma.user.findUniqueOrThrow({ where: { email: s.email } })).id;
    const operator = await sessionFor(app, (await createUser(app, { isOperator: true })).email);
    const res = await app.inject({
      method: 'POST',
      url: `/api/admin/users/${userId}/anonymise`,
      headers: operator.headers,
      payload: { keepAffiliation: false },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().changed.consultation_responses).toEqual({ profiles: 1 });
    const profile = await app.prisma.outsideParticipant.findFirstOrThrow({ where: { periodId: sc.period.id } });
    expect(profile).toMatchObject({
      name: '',
      organisation: '',
      countryCode: null,
      publishName: false,
      userId: null,
      stakeholderGroup: 'CIVIL_SOCIETY',
      region: 'AFRICA',
    });
    expect(profile.anonymisedAt).toBeInstanceOf(Date);
    expect(await app.prisma.auditEntry.count({ where: { action: 'outside_participants.anonymised', entityId: profile.id } })).toBe(1);
    // The public page no longer names them; what they said and answered stays.
    const page = (await app.inject({ method: 'GET', url: sc.publicUrl })).json();
    expect(page.comments[0].by).toMatchObject({ named: false, name: 'A respondent from civil society, Africa' });
    expect(JSON.stringify(page)).not.toContain('Amina Diallo');
    expect(await app.prisma.questionAnswer.count({ where: { participantId: profile.id } })).toBe(2);
  });
});

describe('moderation', () => {
  it('after review: a pending comment is in no list until approved; a rejection keeps its reason and never publishes', async () => {
    const sc = await scene({ openness: 'anyone', outsideModeration: 'after_review' });
    const s = await respondent(sc.period.id);
    const a = (
      await app.inject({ method: 'POST', url: `${sc.publicUrl}/comments`, headers: s.headers, payload: comment(sc.clause.id, { body: 'Worth publishing.' }) })
    ).json();
    const b = (
      await app.inject({ method: 'POST', url: `${sc.publicUrl}/comments`, headers: s.headers, payload: comment(sc.clause.id, { body: 'Buy cheap watches.' }) })
    ).json();
    expect(a.state).toBe('pending');
    const members = () =>
      app.inject({ method: 'GET', url: `/api/groups/${sc.slug}/documents/${sc.doc.id}/comments`, headers: { cookie: sc.participant.cookie } });
    expect((await members()).body).not.toContain('Worth publishing');
    expect((await app.inject({ method: 'GET', url: sc.publicUrl })).json().comments).toEqual([]);

    const queue = await app.inject({ method: 'GET', url: `${sc.periodUrl}/moderation`, headers: { cookie: sc.convener.cookie } });
    expect(queue.statusCode).toBe(200);
    expect(queue.json().total).toBe(2);
    expect(queue.json().items[0].participant.email).toBe(s.email);

    const noReason = await app.inject({
      method: 'POST',
      url: `${sc.periodUrl}/moderation/${b.id}`,
      headers: sc.convener.headers,
      payload: { decision: 'reject' },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().code).toBe('rejection_reason_required');
    const rejected = await app.inject({
      method: 'POST',
      url: `${sc.periodUrl}/moderation/${b.id}`,
      headers: sc.convener.headers,
      payload: { decision: 'reject', reason: 'spam', note: 'Advertising.' },
    });
    expect(rejected.json()).toMatchObject({ state: 'rejected', commentId: null });
    const again = await app.inject({
      method: 'POST',
      url: `${sc.periodUrl}/moderation/${b.id}`,
      headers: sc.convener.headers,
      payload: { decision: 'approve' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('outside_comment_moderated');
    const approved = await app.inject({
      method: 'POST',
      url: `${sc.periodUrl}/moderation/${a.id}`,
      headers: sc.convener.headers,
      payload: { decision: 'approve' },
    });
    expect(approved.json()).toMatchObject({ state: 'published' });

    const list = (await members()).body;
    expect(list).toContain('Worth publishing');
    expect(list).not.toContain('cheap watches');
    expect(list).toContain('A respondent from civil society, Africa');
    expect(list).not.toContain('Amina');
    const pub = (await app.inject({ method: 'GET', url: sc.publicUrl })).json();
    expect(pub.comments.map((c: { bodyHtml: string }) => c.bodyHtml).join()).not.toContain('watches');
    const kept = await app.prisma.outsideComment.findUniqueOrThrow({ where: { id: b.id } });
    expect(kept).toMatchObject({ rejectionReason: 'SPAM', moderationNote: 'Advertising.' });
    const mine = (await app.inject({ method: 'GET', url: sc.publicUrl, headers: { cookie: s.cookie } })).json().me.comments;
    expect(mine.map((c: { state: string }) => c.state).sort()).toEqual(['published', 'rejected']);
  });

  it('immediate: the comment is published at once, with the name when the respondent agreed', async () => {
    const sc = await scene({ openness: 'anyone', outsideModeration: 'immediate' });
    const s = await respondent(sc.period.id, { ...PROFILE, publishName: true });
    const posted = await app.inject({
      method: 'POST',
      url: `${sc.publicUrl}/comments`,
      headers: s.headers,
      payload: comment(sc.clause.id, { quotedText: 'captured physically' }),
    });
    expect(posted.statusCode, posted.body).toBe(201);
    expect(posted.json().state).toBe('published');
    const pub = (await app.inject({ method: 'GET', url: sc.publicUrl })).json();
    expect(pub.comments[0].by).toMatchObject({ origin: 'public', name: 'Amina Diallo', organisation: 'Civic Tech Lab', named: true });
    expect(JSON.stringify(pub)).not.toContain(s.email);
  });

  it('a quote that is not in the clause is a 422 and a bad clause a 404; nothing is stored', async () => {
    const sc = await scene();
    const s = await respondent(sc.period.id);
    const q = await app.inject({
      method: 'POST',
      url: `${sc.publicUrl}/comments`,
      headers: s.headers,
      payload: comment(sc.clause.id, { quotedText: 'not in the clause' }),
    });
    expect(q.statusCode).toBe(422);
    const c = await app.inject({
      method: 'POST',
      url: `${sc.publicUrl}/comments`,
      headers: s.headers,
      payload: comment('0190f0f0-0000-7000-8000-000000000000'),
    });
    expect(c.statusCode).toBe(404);
    expect(await app.prisma.outsideComment.count({ where: { periodId: sc.period.id } })).toBe(0);
  });

  it('only conveners moderate; a refused decision changes nothing', async () => {
    const sc = await scene();
    const s = await respondent(sc.period.id);
    const a = (await app.inject({ method: 'POST', url: `${sc.publicUrl}/comments`, headers: s.headers, payload: comment(sc.clause.id) })).json();
    const editor = await sessionFor(app, sc.editor.email);
    for (const [who, headers, status] of [
      ['anonymous', {}, 401],
      ['respondent', s.headers, 404],
      ['participant', sc.participant.headers, 403],
      ['editor', editor.headers, 403],
    ] as const) {
      const res = await app.inject({ method: 'POST', url: `${sc.periodUrl}/moderation/${a.id}`, headers, payload: { decision: 'approve' } });
      expect(res.statusCode, who).toBe(status);
    }
    expect((await app.prisma.outsideComment.findUniqueOrThrow({ where: { id: a.id } })).state).toBe('PENDING');
  });
});

describe('limits per address and per IP, shared through PostgreSQL', () => {
  it('refuses the comment past the per-address limit, and consultation links past the per-IP limit, with 429 and a sentence', async () => {
    // Tightened on this app for this test only (the limits are read per request from the config).
    const limits = app.ctx.config.limits;
    const saved = { comments: limits.outsideCommentsPerAddress, links: limits.consultationLinksPerIp };
    limits.outsideCommentsPerAddress = { max: 2, windowMs: 60_000 };
    limits.consultationLinksPerIp = { max: 2, windowMs: 60_000 };
    try {
      const sc = await scene();
      const s = await respondent(sc.period.id);
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        statuses.push(
          (await app.inject({ method: 'POST', url: `${sc.publicUrl}/comments`, headers: s.headers, payload: comment(null, { body: `n${i}` }) })).statusCode,
        );
      }
      expect(statuses).toEqual([201, 201, 429]);
      expect(await app.prisma.outsideComment.count({ where: { periodId: sc.period.id } })).toBe(2);
      // Counted in PostgreSQL, where every instance reads the same count.
      expect(await app.prisma.rateLimitWindow.findUnique({ where: { key: `outside-comment:address:${s.email}` } })).toMatchObject({ hits: 3 });
      const ip = randomIp();
      const links = [];
      for (let i = 0; i < 3; i++) {
        const r = await app.inject({
          method: 'POST',
          url: `${sc.publicUrl}/verify-email`,
          payload: { email: `${unique('x')}@example.org` },
          remoteAddress: ip,
        });
        links.push(r.statusCode);
        if (r.statusCode === 429) expect(r.json()).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/network/) });
      }
      expect(links).toEqual([202, 202, 429]);
    } finally {
      limits.outsideCommentsPerAddress = saved.comments;
      limits.consultationLinksPerIp = saved.links;
    }
  });
});

describe('analysis and export', () => {
  it('counts by origin, stakeholder group and region, tallies choices, filters, and names in the CSV only those who agreed', async () => {
    const sc = await scene({
      openness: 'anyone',
      outsideModeration: 'immediate',
      questions: [
        { prompt: 'Which layer matters most?', kind: 'single_choice', choices: ['Device', 'Network'] },
        { prompt: 'What is missing?', kind: 'free_text' },
      ],
    });
    const [q1, q2] = sc.openness.questions;
    const named = await respondent(sc.period.id, { ...PROFILE, name: 'Named Person', publishName: true });
    const anon = await respondent(sc.period.id, {
      ...PROFILE,
      name: 'Secret Person',
      stakeholderGroup: 'academia',
      region: 'asia_pacific',
      countryCode: 'JP',
      publishName: false,
    });
    for (const s of [named, anon]) await app.inject({ method: 'POST', url: `${sc.publicUrl}/comments`, headers: s.headers, payload: comment(sc.clause.id) });
    await app.inject({
      method: 'PUT',
      url: `${sc.publicUrl}/answers`,
      headers: named.headers,
      payload: {
        answers: [
          { questionId: q1.id, choices: [0] },
          { questionId: q2.id, text: 'Labels.' },
        ],
      },
    });
    await app.inject({ method: 'PUT', url: `${sc.publicUrl}/answers`, headers: anon.headers, payload: { answers: [{ questionId: q1.id, choices: [1] }] } });
    const contact = await liaisonContact(sc);
    await app.inject({ method: 'POST', url: `${sc.publicUrl}/comments`, headers: contact.headers, payload: comment(null) });
    await app.inject({
      method: 'POST',
      url: `/api/groups/${sc.slug}/documents/${sc.doc.id}/revisions/1/comments`,
      headers: sc.participant.headers,
      payload: { clauseId: null, type: 'general', body: 'Member view.' },
    });

    const all = await app.inject({ method: 'GET', url: `${sc.periodUrl}/analysis`, headers: { cookie: sc.convener.cookie } });
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json().byOrigin).toEqual({ member: 1, liaison: 1, public: 2 });
    expect(all.json().byStakeholderGroup).toMatchObject({ civil_society: 1, academia: 1, technical_community: 1 });
    expect(all.json().byRegion).toMatchObject({ africa: 1, asia_pacific: 1 });
    expect(all.json().questions[0].choices).toEqual([
      { label: 'Device', count: 1 },
      { label: 'Network', count: 1 },
    ]);
    expect(all.json().questions[1].answers).toBe(1);
    const academia = (
      await app.inject({
        method: 'GET',
        url: `${sc.periodUrl}/analysis?stakeholderGroup=academia&questionId=${q1.id}`,
        headers: { cookie: sc.convener.cookie },
      })
    ).json();
    expect(academia.byOrigin).toEqual({ member: 0, liaison: 0, public: 1 });
    expect(academia.questions).toHaveLength(1);
    expect(academia.questions[0].choices).toEqual([
      { label: 'Device', count: 0 },
      { label: 'Network', count: 1 },
    ]);

    const csv = await app.inject({ method: 'GET', url: `${sc.periodUrl}/responses.csv`, headers: { cookie: sc.convener.cookie } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body).toContain('"Named Person"');
    expect(csv.body).not.toContain('Secret Person');
    expect(csv.body).not.toContain('@example.org');
    expect(csv.body).toContain('"ISO/IEC JTC 1/SC 27"');
    const observer = await sessionFor(app, sc.observer.email);
    expect((await app.inject({ method: 'GET', url: `${sc.periodUrl}/analysis`, headers: { cookie: observer.cookie } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: `${sc.periodUrl}/responses.csv`, headers: { cookie: observer.cookie } })).statusCode).toBe(403);
  });
});

describe('adjudication of outside comments', () => {
  it('an outside comment gets a disposition like a member’s; its author agrees from the consultation page; the table marks its origin', async () => {
    const sc = await scene({ openness: 'anyone', outsideModeration: 'immediate' });
    const s = await respondent(sc.period.id);
    const posted = (await app.inject({ method: 'POST', url: `${sc.publicUrl}/comments`, headers: s.headers, payload: comment(sc.clause.id) })).json();
    await app.inject({
      method: 'PUT',
      url: `/api/groups/${sc.slug}/adjudication-settings`,
      headers: sc.convener.headers,
      payload: { allowEarlyAdjudication: true },
    });
    const decided = await app.inject({
      method: 'PUT',
      url: `/api/groups/${sc.slug}/documents/${sc.doc.id}/comments/${posted.commentId}/disposition`,
      headers: sc.convener.headers,
      payload: { disposition: 'accepted', expectedVersion: 0 },
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const mine = (await app.inject({ method: 'GET', url: sc.publicUrl, headers: { cookie: s.cookie } })).json().me.comments[0];
    expect(mine.disposition).toMatchObject({ code: 'accepted', status: 'proposed' });
    const agreed = await app.inject({
      method: 'POST',
      url: `${sc.publicUrl}/comments/${posted.id}/response`,
      headers: s.headers,
      payload: { expectedVersion: mine.disposition.version, response: 'agree' },
    });
    expect(agreed.statusCode, agreed.body).toBe(200);
    expect(agreed.json().disposition.response).toBe('agree');
    const table = await app.inject({
      method: 'GET',
      url: `/api/groups/${sc.slug}/documents/${sc.doc.id}/disposition-table`,
      headers: { cookie: sc.convener.cookie },
    });
    expect(table.statusCode, table.body).toBe(200);
    const row = table.json().rows.find((r: { comment: string }) => r.comment.includes('Physical capture'));
    expect(row.origin).toMatchObject({ kind: 'public', stakeholderGroup: 'civil_society' });
  });
});
