// Liaison statements end to end through a real SMTP server: each contact receives the statement
// with a personal link, answers through it, and the answer is the body's; the liaison's state
// follows. An outside respondent is consulted on the disposition of their comment by mail that
// links to the public page. Then the route × role matrix of every group-side route of open consultations and liaisons.
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../helpers/app.ts';
import { until } from '../helpers/digests.ts';
import { createCastedGroup, createUser, sessionFromResponse, signIn, tokenOf, type Session } from '../helpers/factories.ts';
import { inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

let app: TestApp;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
  app = await createTestApp({ env: { SMTP_URL: sink.url, PUBLIC_URL: 'https://convene.example.org' } });
});
afterAll(async () => {
  await app?.close();
  await sink?.close();
});

const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address?.toLowerCase();
const mailTo = (address: string) =>
  until(async () => {
    await app.ctx.events.drain();
    return sink.messages.find((m) => to(m) === address);
  });
const readLink = async (email: string) => (await mailTo(email)).text!.match(/https?:\/\/\S+\/sign-in\/verify\?token=[\w-]+/)![0];

type Role = 'convener' | 'editor' | 'participant' | 'observer';
/** A group with a document in an open period; `roles`: who is signed in (each sign-in is a mail round trip). */
async function scene(roles: Role[] = ['convener', 'editor', 'participant', 'observer']) {
  const cast = await createCastedGroup(app);
  const slug = cast.group.slug;
  const sessions = {} as Record<Role, Session>;
  for (const role of roles) sessions[role] = await signIn(app, cast[role].email, readLink);
  const doc = await postDocument(app, slug, sessions.convener, 'Draft Recommendation ITU-T X.iotsec-2');
  await postMarkdownRevision(app, slug, doc.id, sessions.convener);
  const period = await openPeriodApi(app, slug, doc.id, sessions.convener, 1, inHours(-1), inHours(72));
  return {
    ...cast,
    slug,
    sessions,
    doc,
    period,
    docUrl: `/api/groups/${slug}/documents/${doc.id}`,
    periodUrl: `/api/groups/${slug}/documents/${doc.id}/periods/${period.id}`,
  };
}
type Scene = Awaited<ReturnType<typeof scene>>;

const statement = (s: Scene, bodies: object[], deadline = inHours(48)) => ({
  periodId: s.period.id,
  title: 'LS on draft Recommendation ITU-T X.iotsec-2',
  purpose: 'comment',
  text: 'We are kindly seeking your comments on draft Rec. ITU-T X.iotsec-2 (see Annex 2).\n\nPlease reply before the deadline.',
  deadline,
  bodies,
});

describe('a liaison statement, through real SMTP', () => {
  it('mails each contact a personal link; a contact answers through it and the comment is the body’s; the state goes sent → answered', async () => {
    const s = await scene(['convener', 'participant']);
    const sc27 = [`${unique('sc27-a')}@iso.example.org`, `${unique('sc27-b')}@iso.example.org`];
    const etsi = `${unique('etsi')}@etsi.example.org`;
    const sent = await app.inject({
      method: 'POST',
      url: `${s.docUrl}/liaisons`,
      headers: s.sessions.convener.headers,
      payload: statement(s, [
        { name: 'ISO/IEC JTC 1/SC 27', contacts: sc27.map((email, i) => ({ email, name: `SC 27 contact ${i + 1}` })) },
        { name: 'ETSI TC CYBER', contacts: [{ email: etsi, name: '' }] },
      ]),
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toMatchObject({ state: 'sent', purpose: 'comment' });

    const mails = await Promise.all([...sc27, etsi].map(mailTo));
    const links = mails.map((m) => m.text!.match(/https:\/\/convene\.example\.org\/consult\/[\w-]+\?liaison=[\w%-]+/)![0]);
    expect(new Set(links).size).toBe(3);
    expect(mails[0]!.subject).toContain('LS on draft Recommendation ITU-T X.iotsec-2');
    expect(mails[0]!.text).toContain('kindly seeking your comments');
    expect(mails[0]!.text).toContain('to ISO/IEC JTC 1/SC 27');
    // A contact's mail names no other contact.
    expect(mails[0]!.text).not.toContain(sc27[1]);
    expect(mails[0]!.text).not.toContain(etsi);

    const token = decodeURIComponent(new URL(links[1]!).searchParams.get('liaison')!);
    const used = await app.inject({ method: 'POST', url: `/api/open-periods/${s.period.id}/liaison-link`, payload: { token } });
    expect(used.statusCode, used.body).toBe(200);
    const cookie = `__Host-convene_session=${used.cookies.find((c) => c.name === '__Host-convene_session')!.value}`;
    const headers = { cookie, 'x-csrf-token': used.json().csrfToken };
    const page = (await app.inject({ method: 'GET', url: `/api/open-periods/${s.period.id}`, headers: { cookie } })).json();
    expect(page.openness).toBe('invited_organisations');
    expect(page.me).toMatchObject({ kind: 'liaison_contact', participant: { organisation: 'ISO/IEC JTC 1/SC 27', liaison: true } });
    expect(page.liaisons[0].text).toContain('kindly seeking');

    const posted = await app.inject({
      method: 'POST',
      url: `/api/open-periods/${s.period.id}/comments`,
      headers,
      payload: { clauseId: null, type: 'technical', body: 'SC 27 suggests aligning with ISO/IEC 27400.' },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    const approve = await app.inject({
      method: 'POST',
      url: `${s.periodUrl}/moderation/${posted.json().id}`,
      headers: s.sessions.convener.headers,
      payload: { decision: 'approve' },
    });
    expect(approve.statusCode, approve.body).toBe(200);

    const comments = await app.inject({ method: 'GET', url: `${s.docUrl}/comments`, headers: { cookie: s.sessions.participant.cookie } });
    expect(comments.body).toContain('ISO/IEC 27400');
    expect(comments.body).toContain('ISO/IEC JTC 1/SC 27');
    expect(comments.body).not.toContain(sc27[1]);

    const asMember = (await app.inject({ method: 'GET', url: `${s.docUrl}/liaisons`, headers: { cookie: s.sessions.participant.cookie } })).json();
    expect(asMember.liaisons[0]).toMatchObject({ state: 'answered' });
    expect(asMember.liaisons[0].bodies.find((b: { name: string }) => b.name === 'ISO/IEC JTC 1/SC 27')).toMatchObject({ answers: 1 });
    expect(JSON.stringify(asMember)).not.toContain('@iso.example.org');
    const asConvener = (await app.inject({ method: 'GET', url: `${s.docUrl}/liaisons`, headers: { cookie: s.sessions.convener.cookie } })).json();
    expect(JSON.stringify(asConvener)).toContain(sc27[0]);
  });

  it('shows deadline passed when no body answered in time; a link of another period or a made-up one is refused', async () => {
    const s = await scene(['convener', 'observer']);
    const email = `${unique('ietf')}@ietf.example.org`;
    const sent = await app.inject({
      method: 'POST',
      url: `${s.docUrl}/liaisons`,
      headers: s.sessions.convener.headers,
      payload: statement(s, [{ name: 'IETF T2TRG', contacts: [{ email, name: 'Chair' }] }], inHours(1)),
    });
    expect(sent.statusCode, sent.body).toBe(201);
    await app.prisma.liaison.update({ where: { id: sent.json().id }, data: { deadline: new Date(Date.now() - 60_000) } });
    const list = (await app.inject({ method: 'GET', url: `${s.docUrl}/liaisons`, headers: { cookie: s.sessions.observer.cookie } })).json();
    expect(list.liaisons[0].state).toBe('deadline_passed');
    const link = (await mailTo(email)).text!.match(/liaison=([\w%-]+)/)![1]!;
    const other = await scene(['convener']);
    for (const [periodId, token] of [
      [other.period.id, decodeURIComponent(link)],
      [s.period.id, 'made-up-token'],
    ]) {
      const res = await app.inject({ method: 'POST', url: `/api/open-periods/${periodId}/liaison-link`, payload: { token } });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('liaison_link_invalid');
    }
    const late = await app.inject({
      method: 'POST',
      url: `${s.docUrl}/liaisons`,
      headers: s.sessions.convener.headers,
      payload: statement(s, [{ name: 'IETF', contacts: [{ email, name: '' }] }], inHours(24 * 30)),
    });
    expect(late.statusCode).toBe(400);
    expect(late.json().code).toBe('liaison_deadline_after_period');
  });
});

describe('an outside respondent consulted on a disposition, through real SMTP', () => {
  it('the proposal and the final decision mail link to the public consultation page, where they agree, not into the group', async () => {
    const s = await scene(['convener']);
    const open = await app.inject({
      method: 'PUT',
      url: `${s.periodUrl}/openness`,
      headers: s.sessions.convener.headers,
      payload: { openness: 'anyone', outsideModeration: 'immediate' },
    });
    expect(open.statusCode, open.body).toBe(200);
    const email = `${unique('respondent')}@example.org`;
    const publicUrl = `/api/open-periods/${s.period.id}`;
    expect((await app.inject({ method: 'POST', url: `${publicUrl}/verify-email`, payload: { email } })).statusCode).toBe(202);
    const verified = await app.inject({ method: 'POST', url: '/api/auth/verify', payload: { token: tokenOf(await readLink(email)) } });
    expect(verified.statusCode, verified.body).toBe(200);
    const respondent = sessionFromResponse(verified);
    const profile = { name: 'Amina Diallo', organisation: '', stakeholderGroup: 'civil_society', countryCode: 'SN', region: 'africa', publishName: false };
    expect((await app.inject({ method: 'PUT', url: `${publicUrl}/participant`, headers: respondent.headers, payload: profile })).statusCode).toBe(200);
    const posted = await app.inject({
      method: 'POST',
      url: `${publicUrl}/comments`,
      headers: respondent.headers,
      payload: { clauseId: null, type: 'technical', body: 'Physical capture deserves its own countermeasure.' },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    const { id: outsideCommentId, commentId } = posted.json();
    const convener = s.sessions.convener;
    await app.inject({
      method: 'PUT',
      url: `/api/groups/${s.slug}/adjudication-settings`,
      headers: convener.headers,
      payload: { allowEarlyAdjudication: true },
    });
    const dispositionUrl = `${s.docUrl}/comments/${commentId}/disposition`;
    const proposed = await app.inject({
      method: 'PUT',
      url: dispositionUrl,
      headers: convener.headers,
      payload: { expectedVersion: 0, disposition: 'rejected', rationale: 'Covered by clause 8.' },
    });
    expect(proposed.statusCode, proposed.body).toBe(200);

    const pageLink = `https://convene.example.org/consult/${s.period.id}`;
    const awaited = await until(async () => {
      await app.ctx.events.drain();
      return sink.messages.find((m) => to(m) === email && /answer is awaited/.test(m.subject ?? ''));
    });
    expect(awaited.text).toContain('Rationale: Covered by clause 8.');
    expect(awaited.text).toContain(`Agree or object on the consultation page: ${pageLink}`);
    // Nothing that only a member could open.
    expect(awaited.text).not.toContain('/groups/');
    expect(awaited.text).not.toContain('/me/awaiting');
    const hrefs = [...(awaited.html || '').matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&#x2F;', '/').replaceAll('&#x3D;', '='));
    expect(hrefs).toContain(pageLink);

    // The page the link opens is where they answer.
    const mine = (await app.inject({ method: 'GET', url: publicUrl, headers: { cookie: respondent.cookie } })).json().me.comments[0];
    const objected = await app.inject({
      method: 'POST',
      url: `${publicUrl}/comments/${outsideCommentId}/response`,
      headers: respondent.headers,
      payload: { expectedVersion: mine.disposition.version, response: 'object', text: 'It is not covered.' },
    });
    expect(objected.statusCode, objected.body).toBe(200);
    const finalised = await app.inject({
      method: 'POST',
      url: `${dispositionUrl}/finalise`,
      headers: convener.headers,
      payload: { expectedVersion: objected.json().disposition.version },
    });
    expect(finalised.statusCode, finalised.body).toBe(200);
    const final = await until(async () => {
      await app.ctx.events.drain();
      return sink.messages.find((m) => to(m) === email && /^Final disposition/.test(m.subject ?? ''));
    });
    expect(final.text).toContain('finalised it over your objection');
    expect(final.text).toContain(pageLink);
    expect(final.text).not.toContain('/groups/');
  });
});

describe('route × role: the group side of open consultations and liaisons', () => {
  type Actor = 'anonymous' | 'outsider' | 'observer' | 'participant' | 'editor' | 'convener' | 'operator';
  const ACTORS: Actor[] = ['anonymous', 'outsider', 'observer', 'participant', 'editor', 'convener', 'operator'];
  const MEMBERS: Actor[] = ['observer', 'participant', 'editor', 'convener', 'operator'];
  const CASES: Record<
    string,
    {
      method: 'GET' | 'PUT' | 'POST';
      path: (s: Scene, ids: { oc: string; participant: string }) => string;
      allowed: Actor[];
      body?: (s: Scene) => object;
      write?: boolean;
    }
  > = {
    'GET openness': { method: 'GET', path: (s) => `${s.periodUrl}/openness`, allowed: MEMBERS },
    'PUT openness': {
      method: 'PUT',
      path: (s) => `${s.periodUrl}/openness`,
      allowed: ['convener', 'operator'],
      body: () => ({ openness: 'anyone' }),
      write: true,
    },
    'GET moderation': { method: 'GET', path: (s) => `${s.periodUrl}/moderation`, allowed: ['convener', 'operator'] },
    'POST moderation': {
      method: 'POST',
      path: (s, ids) => `${s.periodUrl}/moderation/${ids.oc}`,
      allowed: ['convener'],
      body: () => ({ decision: 'reject', reason: 'off_topic' }),
      write: true,
    },
    'GET analysis': { method: 'GET', path: (s) => `${s.periodUrl}/analysis`, allowed: ['editor', 'convener', 'operator'] },
    'GET responses.csv': { method: 'GET', path: (s) => `${s.periodUrl}/responses.csv`, allowed: ['editor', 'convener', 'operator'] },
    'GET liaisons': { method: 'GET', path: (s) => `${s.docUrl}/liaisons`, allowed: MEMBERS },
    'POST liaisons': {
      method: 'POST',
      path: (s) => `${s.docUrl}/liaisons`,
      allowed: ['convener', 'operator'],
      body: (s) => statement(s, [{ name: 'ETSI', contacts: [{ email: `${unique('c')}@etsi.example.org`, name: '' }] }]),
      write: true,
    },
    // Last: anonymising the outsider ends their session.
    'POST anonymise': {
      method: 'POST',
      path: (s, ids) => `${s.periodUrl}/participants/${ids.participant}/anonymise`,
      allowed: ['convener', 'operator'],
      write: true,
    },
  };

  it('each route answers each caller as its policy says (401 anonymous, 404 outside the group, 403 by role), and a refused write changes nothing', async () => {
    const s = await scene();
    await app.inject({ method: 'PUT', url: `${s.periodUrl}/openness`, headers: s.sessions.convener.headers, payload: { openness: 'anyone' } });
    const outsiderUser = await createUser(app);
    const operatorUser = await createUser(app, { isOperator: true });
    const sessions: Record<Actor, Session | null> = {
      anonymous: null,
      outsider: await signIn(app, outsiderUser.email, readLink),
      ...s.sessions,
      operator: await signIn(app, operatorUser.email, readLink),
    };
    // One outside comment from the outsider to moderate, and their participant row to anonymise.
    await app.inject({
      method: 'PUT',
      url: `/api/open-periods/${s.period.id}/participant`,
      headers: sessions.outsider!.headers,
      payload: { name: 'Outside Person', stakeholderGroup: 'academia', publishName: false },
    });
    const oc = (
      await app.inject({
        method: 'POST',
        url: `/api/open-periods/${s.period.id}/comments`,
        headers: sessions.outsider!.headers,
        payload: { clauseId: null, type: 'general', body: 'x' },
      })
    ).json();
    const participant = (await app.prisma.outsideParticipant.findFirstOrThrow({ where: { periodId: s.period.id } })).id;
    const snapshot = async () =>
      JSON.stringify([
        await app.prisma.commentPeriod.findUnique({ where: { id: s.period.id }, select: { openness: true } }),
        await app.prisma.outsideComment.findMany({ where: { periodId: s.period.id }, select: { state: true } }),
        await app.prisma.outsideParticipant.findMany({ where: { periodId: s.period.id }, select: { anonymisedAt: true } }),
        await app.prisma.liaison.count({ where: { documentId: s.doc.id } }),
      ]);
    for (const [name, c] of Object.entries(CASES)) {
      // Refused callers first, then the allowed ones (a write that succeeds must not hide a later refusal).
      const order = [...ACTORS.filter((a) => !c.allowed.includes(a)), ...ACTORS.filter((a) => c.allowed.includes(a))];
      for (const actor of order) {
        const session = sessions[actor];
        const before = c.write && !c.allowed.includes(actor) ? await snapshot() : null;
        const res = await app.inject({
          method: c.method,
          url: c.path(s, { oc: oc.id, participant }),
          headers: session ? (c.method === 'GET' ? { cookie: session.cookie } : session.headers) : {},
          ...(c.body ? { payload: c.body(s) } : {}),
        });
        const expected = c.allowed.includes(actor) ? [200, 201] : actor === 'anonymous' ? [401] : actor === 'outsider' ? [404] : [403];
        expect(expected, `${name} as ${actor}: ${res.statusCode} ${res.body.slice(0, 200)}`).toContain(res.statusCode);
        if (before !== null) expect(await snapshot(), `${name} as ${actor} changed something`).toBe(before);
      }
    }
  });
});
