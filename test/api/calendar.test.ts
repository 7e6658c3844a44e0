// The timeframe as a private calendar subscription: a capability URL per member, read back with
// a real iCalendar parser (ical.js, Mozilla's), never by regular expressions alone.
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDAR_ROUTES } from '../../client/src/api/calendar-endpoints.ts';
import { createTestApp, randomIp, unique, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, createUser, sessionFor, type Session } from '../helpers/factories.ts';
import { openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';
import { runPython } from '../helpers/readers.ts';

const FEED_LIMIT = 12;
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ limits: { calendarFeedsPerIp: FEED_LIMIT } });
});
afterAll(async () => {
  await app.close();
});

interface FeedLink {
  subscribed: true;
  issuedAt: string;
  httpsUrl: string;
  webcalUrl: string;
}
interface ParsedEvent {
  uid: string;
  summary: string;
  description: string;
  start: string;
  dtstart: string;
  sequence: number;
  lastModified: string;
  categories: string[];
}

async function subscribe(slug: string, s: Session): Promise<FeedLink> {
  const res = await app.inject({ method: 'POST', url: `/api/groups/${slug}/calendar-feed`, headers: s.headers });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
  return res.json();
}

/** GET the feed as a calendar app would: no cookie, only the URL (each from its own address, unless given). */
const fetchFeed = (httpsUrl: string, remoteAddress = randomIp(), headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url: new URL(httpsUrl).pathname, remoteAddress, headers });

function parseFeed(text: string): { name: string; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      start: event.startDate.toJSDate().toISOString(),
      dtstart: vevent.getFirstProperty('dtstart')!.toICALString(),
      sequence: event.sequence,
      lastModified: String(vevent.getFirstPropertyValue('last-modified')),
      categories: vevent.getAllProperties('categories').flatMap((p) => p.getValues().map(String)),
    };
  });
  // ical.js knows no RFC 7986 NAME and hands its value over raw: decode it as the TEXT it is.
  const textValue = (ICAL.design.icalendar.value as unknown as Record<'text', { fromICAL: (raw: string) => string }>).text;
  return { name: textValue.fromICAL(String(calendar.getFirstPropertyValue('name'))), events };
}

async function setup() {
  const cast = await createCastedGroup(app);
  const [convener, participant] = await Promise.all([sessionFor(app, cast.convener.email), sessionFor(app, cast.participant.email)]);
  const slug = cast.group.slug;
  const addMilestone = async (at: string, kind: string, label: string) => {
    const res = await app.inject({ method: 'POST', url: `/api/groups/${slug}/milestones`, headers: convener.headers, payload: { at, kind, label } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string };
  };
  return { ...cast, asConvener: convener, asParticipant: participant, slug, addMilestone };
}

describe('calendar subscription links', () => {
  it('gives a member a private https:// and webcal:// link once, and keeps only a hash of its token', async () => {
    const s = await setup();
    const before = await app.inject({ method: 'GET', url: `/api/groups/${s.slug}/calendar-feed`, headers: s.asParticipant.headers });
    expect(before.json()).toEqual({ subscribed: false, issuedAt: null });

    const link = await subscribe(s.slug, s.asParticipant);
    const token = /\/calendar\/([\w-]{43})\.ics$/.exec(link.httpsUrl)?.[1];
    expect(token, link.httpsUrl).toBeDefined();
    expect(link.httpsUrl).toBe(`http://localhost:3000/calendar/${token}.ics`);
    expect(link.webcalUrl).toBe(`webcal://localhost:3000/calendar/${token}.ics`);
    expect(Buffer.from(token!, 'base64url')).toHaveLength(32);

    const row = await app.prisma.calendarFeed.findUniqueOrThrow({ where: { groupId_userId: { groupId: s.group.id, userId: s.participant.id } } });
    expect(row.tokenHash).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token);
    const after = await app.inject({ method: 'GET', url: `/api/groups/${s.slug}/calendar-feed`, headers: s.asParticipant.headers });
    expect(after.json()).toEqual({ subscribed: true, issuedAt: link.issuedAt });
    expect(after.body).not.toContain(token);

    const audit = await app.prisma.auditEntry.findFirstOrThrow({ where: { groupId: s.group.id, action: 'calendar_feeds.created' } });
    expect(audit).toMatchObject({ actorId: s.participant.id, entityType: 'calendar_feed', entityId: row.id });
    expect(JSON.stringify(audit.after)).not.toContain(token);
  });

  it('lets an observer subscribe, and answers 404 to a non-member and 403 to an operator outside the group', async () => {
    const s = await setup();
    const observer = await sessionFor(app, s.observer.email);
    const link = await subscribe(s.slug, observer);
    expect((await fetchFeed(link.httpsUrl)).statusCode).toBe(200);

    const outsider = await sessionFor(app, s.outsider.email);
    const denied = await app.inject({ method: 'POST', url: `/api/groups/${s.slug}/calendar-feed`, headers: outsider.headers });
    expect(denied.statusCode).toBe(404);
    expect(denied.json().code).toBe('group_not_found');
    expect((await app.inject({ method: 'GET', url: `/api/groups/${s.slug}/calendar-feed`, headers: outsider.headers })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/api/groups/${s.slug}/calendar-feed`, headers: outsider.headers })).statusCode).toBe(404);

    const operator = await sessionFor(app, (await createUser(app, { isOperator: true })).email);
    const refused = await app.inject({ method: 'POST', url: `/api/groups/${s.slug}/calendar-feed`, headers: operator.headers });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('calendar_members_only');
    expect(await app.prisma.calendarFeed.count({ where: { groupId: s.group.id } })).toBe(1);
  });

  it('requires the session and its CSRF token to create, reset or revoke a link', async () => {
    const s = await setup();
    const url = `/api/groups/${s.slug}/calendar-feed`;
    expect((await app.inject({ method: 'POST', url })).statusCode).toBe(401);
    const noCsrf = await app.inject({ method: 'POST', url, headers: { cookie: s.asParticipant.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('csrf_token_invalid');
    const wrongCsrf = await app.inject({ method: 'POST', url, headers: { cookie: s.asParticipant.cookie, 'x-csrf-token': 'forged' } });
    expect(wrongCsrf.statusCode).toBe(403);
    await subscribe(s.slug, s.asParticipant);
    expect((await app.inject({ method: 'DELETE', url, headers: { cookie: s.asParticipant.cookie } })).json().code).toBe('csrf_token_invalid');
    expect(await app.prisma.calendarFeed.count({ where: { groupId: s.group.id } })).toBe(1);
  });

  it('resets the link: the new one works, the old one answers 404 at once', async () => {
    const s = await setup();
    const first = await subscribe(s.slug, s.asParticipant);
    expect((await fetchFeed(first.httpsUrl)).statusCode).toBe(200);
    const second = await subscribe(s.slug, s.asParticipant);
    expect(second.httpsUrl).not.toBe(first.httpsUrl);
    expect((await fetchFeed(first.httpsUrl)).statusCode).toBe(404);
    expect((await fetchFeed(second.httpsUrl)).statusCode).toBe(200);
    expect(await app.prisma.calendarFeed.count({ where: { groupId: s.group.id } })).toBe(1);
    expect(await app.prisma.auditEntry.count({ where: { groupId: s.group.id, action: 'calendar_feeds.reset', actorId: s.participant.id } })).toBe(1);
  });

  it('revokes the link: 404 from then on, audited; revoking again is a 404', async () => {
    const s = await setup();
    const link = await subscribe(s.slug, s.asParticipant);
    const url = `/api/groups/${s.slug}/calendar-feed`;
    expect((await app.inject({ method: 'DELETE', url, headers: s.asParticipant.headers })).statusCode).toBe(204);
    expect((await fetchFeed(link.httpsUrl)).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url, headers: s.asParticipant.headers })).json()).toEqual({ subscribed: false, issuedAt: null });
    const again = await app.inject({ method: 'DELETE', url, headers: s.asParticipant.headers });
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('calendar_feed_not_found');
    expect(await app.prisma.auditEntry.count({ where: { groupId: s.group.id, action: 'calendar_feeds.revoked', actorId: s.participant.id } })).toBe(1);
  });

  it("answers a removed member's link with 404, and does not revive it when they are invited back", async () => {
    const s = await setup();
    const link = await subscribe(s.slug, s.asParticipant);
    expect((await fetchFeed(link.httpsUrl)).statusCode).toBe(200);
    const removed = await app.inject({ method: 'DELETE', url: `/api/groups/${s.slug}/members/${s.participant.id}`, headers: s.asConvener.headers });
    expect(removed.statusCode, removed.body).toBe(204);
    const gone = await fetchFeed(link.httpsUrl);
    expect(gone.statusCode).toBe(404);
    await app.prisma.membership.create({ data: { groupId: s.group.id, userId: s.participant.id, role: 'PARTICIPANT' } });
    expect((await fetchFeed(link.httpsUrl)).statusCode).toBe(404);
  });

  it('answers unknown, malformed, reset and revoked links with the very same 404 body', async () => {
    const s = await setup();
    const reset = await subscribe(s.slug, s.asParticipant);
    await subscribe(s.slug, s.asParticipant);
    const editor = await sessionFor(app, s.editor.email);
    const revoked = await subscribe(s.slug, editor);
    expect((await app.inject({ method: 'DELETE', url: `/api/groups/${s.slug}/calendar-feed`, headers: editor.headers })).statusCode).toBe(204);
    const urls = [
      `http://localhost:3000/calendar/${Buffer.alloc(32, 7).toString('base64url')}.ics`,
      'http://localhost:3000/calendar/not-a-token.ics',
      `http://localhost:3000/calendar/${'A'.repeat(44)}.ics`,
      reset.httpsUrl,
      revoked.httpsUrl,
    ];
    const answers = await Promise.all(urls.map((u) => fetchFeed(u)));
    for (const res of answers) {
      expect(res.statusCode).toBe(404);
      expect(res.body).toBe(answers[0]!.body);
    }
    expect(answers[0]!.json()).toEqual({ code: 'calendar_not_found', message: 'That calendar was not found.' });
  });

  it('rate-limits feed fetches per address', async () => {
    const s = await setup();
    const link = await subscribe(s.slug, s.asParticipant);
    const ip = randomIp();
    const statuses: number[] = [];
    for (let i = 0; i < FEED_LIMIT + 1; i++) statuses.push((await fetchFeed(link.httpsUrl, ip)).statusCode);
    expect(statuses.slice(0, FEED_LIMIT).every((code) => code === 200)).toBe(true);
    expect(statuses[FEED_LIMIT]).toBe(429);
    // Another address is not held back by the first one's count.
    expect((await fetchFeed(link.httpsUrl, randomIp())).statusCode).toBe(200);
  });

  it('has every route the client calls, and documents the feed in OpenAPI (so the robustness walk reaches it)', async () => {
    expect(Object.values(CALENDAR_ROUTES).filter(([method, url]) => !app.hasRoute({ method, url }))).toEqual([]);
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/calendar/{token}.ics', '/api/groups/{slug}/calendar-feed']));
  });
});

describe('the calendar feed', () => {
  it('lists every milestone at its exact UTC instant with a stable UID, the group name and a link home, as text/calendar', async () => {
    const s = await setup();
    const draft = await s.addMilestone('2016-04-01T00:00:00Z', 'draft_posted', 'Conveners post the draft; comments invited');
    const close = await s.addMilestone('2016-04-25T23:59:00Z', 'comments_close', 'Document closed for adjudication by the conveners');
    const report = await s.addMilestone('2016-06-06T12:00:00Z', 'final_report_published', 'Final report published');
    const link = await subscribe(s.slug, s.asParticipant);
    const res = await fetchFeed(link.httpsUrl);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('private, max-age=300');
    expect(res.headers['set-cookie']).toBeUndefined();

    const feed = parseFeed(res.body);
    expect(feed.name).toBe(`${s.group.acronym} timeframe`);
    expect(feed.events.map((e) => [e.uid, e.summary, e.start, e.dtstart])).toEqual([
      [`milestone-${draft.id}@convene`, 'Conveners post the draft; comments invited', '2016-04-01T00:00:00.000Z', 'DTSTART:20160401T000000Z'],
      [`milestone-${close.id}@convene`, 'Document closed for adjudication by the conveners', '2016-04-25T23:59:00.000Z', 'DTSTART:20160425T235900Z'],
      [`milestone-${report.id}@convene`, 'Final report published', '2016-06-06T12:00:00.000Z', 'DTSTART:20160606T120000Z'],
    ]);
    const closing = feed.events[1]!;
    expect(closing.categories).toEqual(['Comments close']);
    expect(closing.description).toContain('Comments close');
    expect(closing.description).toContain(s.group.name);
    expect(closing.description).toContain(`http://localhost:3000/groups/${s.slug}`);
    // The group's zone (Europe/Zurich) beside UTC, as the digests write it.
    expect(closing.description).toContain('25 April 2016 23:59 UTC (26 April 2016 01:59 CEST)');
  });

  it("keeps a moved milestone's UID with its new instant and a higher SEQUENCE at every change, even within one second, and drops a deleted one", async () => {
    const s = await setup();
    const moved = await s.addMilestone('2030-04-25T23:59:00Z', 'comments_close', 'Comments close');
    const deleted = await s.addMilestone('2030-05-11T12:00:00Z', 'meeting', 'Electronic meeting');
    const link = await subscribe(s.slug, s.asParticipant);
    const events = async () => parseFeed((await fetchFeed(link.httpsUrl)).body).events;
    const before = await events();
    expect(before.map((e) => [e.uid, e.sequence])).toEqual([
      [`milestone-${moved.id}@convene`, 0],
      [`milestone-${deleted.id}@convene`, 0],
    ]);

    // Back to back, as a convener correcting a typo does: each change is a new revision of the event.
    const changes = [{ at: '2030-05-02T23:59:00Z' }, { at: '2030-05-03T23:59:00Z' }, { label: 'Comments close (extended)' }, { kind: 'final_comments_close' }];
    const sequences: number[] = [];
    for (const payload of changes) {
      const patch = await app.inject({ method: 'PATCH', url: `/api/groups/${s.slug}/milestones/${moved.id}`, headers: s.asConvener.headers, payload });
      expect(patch.statusCode, patch.body).toBe(200);
      sequences.push((await events())[0]!.sequence);
    }
    expect(sequences).toEqual([1, 2, 3, 4]);
    const del = await app.inject({ method: 'DELETE', url: `/api/groups/${s.slug}/milestones/${deleted.id}`, headers: s.asConvener.headers });
    expect(del.statusCode).toBe(204);

    const after = await events();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      uid: before[0]!.uid,
      start: '2030-05-03T23:59:00.000Z',
      dtstart: 'DTSTART:20300503T235900Z',
      summary: 'Comments close (extended)',
      sequence: 4,
    });
  });

  it("shows a comment period's opening and its deadline (the period's own milestones), and follows an extension", async () => {
    const s = await setup();
    const document = await postDocument(app, s.slug, s.asConvener);
    await postMarkdownRevision(app, s.slug, document.id, s.asConvener);
    const opens = new Date(Date.now() - 3_600_000).toISOString();
    const period = await openPeriodApi(app, s.slug, document.id, s.asConvener, 1, opens, '2099-04-25T23:59:00Z');
    const link = await subscribe(s.slug, s.asParticipant);
    const events = parseFeed((await fetchFeed(link.httpsUrl)).body).events;
    expect(events).toHaveLength(2);
    expect(events[0]!.description).toContain('Comments open on revision 1 (Initial baseline) of "Report on security and privacy aspects of IoT".');
    expect(events[1]).toMatchObject({ uid: `milestone-${period.closingMilestoneId}@convene`, dtstart: 'DTSTART:20990425T235900Z' });
    expect(events[1]!.description).toContain('nothing is accepted at or after this instant');

    const extended = await app.inject({
      method: 'POST',
      url: `/api/groups/${s.slug}/documents/${document.id}/periods/${period.id}/extensions`,
      headers: s.asConvener.headers,
      payload: { closesAt: '2099-05-02T23:59:00Z', reason: 'SG20 Rapporteur meeting' },
    });
    expect(extended.statusCode, extended.body).toBe(200);
    const after = parseFeed((await fetchFeed(link.httpsUrl)).body).events;
    expect(after.map((e) => [e.uid, e.dtstart])).toEqual([
      [events[0]!.uid, events[0]!.dtstart],
      [events[1]!.uid, 'DTSTART:20990502T235900Z'],
    ]);
    expect(after.map((e) => e.sequence)).toEqual([events[0]!.sequence, events[1]!.sequence + 1]);
  });

  it('writes each milestone as an instant (DTSTART, no DTEND), ends the file with CRLF, and reads the same in python icalendar and ical.js', async () => {
    const s = await setup();
    const close = await s.addMilestone('2030-04-25T23:59:00Z', 'comments_close', 'Comments close; adjudication follows');
    const meeting = await s.addMilestone('2030-05-11T12:00:00Z', 'meeting', 'Electronic meeting');
    const moved = await app.inject({
      method: 'PATCH',
      url: `/api/groups/${s.slug}/milestones/${meeting.id}`,
      headers: s.asConvener.headers,
      payload: { at: '2030-05-12T12:00:00Z' },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const link = await subscribe(s.slug, s.asParticipant);
    const { body } = await fetchFeed(link.httpsUrl);

    // RFC 5545 3.1: every content line, END:VCALENDAR included, ends with CRLF.
    expect(body.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    // A DTEND must be later than DTSTART (3.8.2.2); without one, a DATE-TIME event ends where it starts (3.6.1).
    expect(body).not.toMatch(/^(DTEND|DURATION)[;:]/m);

    const python = await runPython<Array<{ uid: string; start: string; end: string | null; duration: string | null; sequence: number; summary: string }>>(
      `
import icalendar, json, sys
calendar = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
print(json.dumps([{
    'uid': str(e['UID']), 'start': e.decoded('DTSTART').isoformat(),
    'end': e.decoded('DTEND').isoformat() if 'DTEND' in e else None,
    'duration': str(e.decoded('DURATION')) if 'DURATION' in e else None,
    'sequence': int(e['SEQUENCE']), 'summary': str(e['SUMMARY']),
} for e in calendar.walk('VEVENT')]))
`,
      body,
    );
    expect(python).toEqual([
      {
        uid: `milestone-${close.id}@convene`,
        start: '2030-04-25T23:59:00+00:00',
        end: null,
        duration: null,
        sequence: 0,
        summary: 'Comments close; adjudication follows',
      },
      { uid: `milestone-${meeting.id}@convene`, start: '2030-05-12T12:00:00+00:00', end: null, duration: null, sequence: 1, summary: 'Electronic meeting' },
    ]);
    const icalJs = new ICAL.Component(ICAL.parse(body)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(icalJs.map((e) => [e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString(), e.duration.toSeconds(), e.sequence])).toEqual([
      ['2030-04-25T23:59:00.000Z', '2030-04-25T23:59:00.000Z', 0, 0],
      ['2030-05-12T12:00:00.000Z', '2030-05-12T12:00:00.000Z', 0, 1],
    ]);
  });

  it('round-trips labels and group names with commas, semicolons, line breaks, French and Arabic through the parser', async () => {
    const s = await setup();
    const name = 'Groupe de correspondance; sécurité, IoT\nBEGIN:VEVENT';
    await app.prisma.group.update({ where: { id: s.group.id }, data: { name, acronym: 'CG;IoT,sec' } });
    const labels = [
      'Comments close; adjudication, by the conveners',
      'Line one\nSUMMARY:injected\r\nLine three',
      'Clôture des commentaires : « révision 2 »',
      'انتهاء فترة التعليقات على مشروع التقرير؛ يبدأ المنسقون في البت في التعليقات المقدمة من الخبراء، ثم ينشرون المسودة',
      'Back\\slash and "quotes" and emoji 🗓️ and tab\there',
    ];
    for (const [i, label] of labels.entries()) await s.addMilestone(`2031-01-0${i + 1}T09:00:00Z`, 'other', label);
    const link = await subscribe(s.slug, s.asParticipant);
    const res = await fetchFeed(link.httpsUrl);
    const feed = parseFeed(res.body);
    expect(feed.name).toBe('CG;IoT,sec timeframe');
    expect(feed.events.map((e) => e.summary)).toEqual(labels.map((l) => l.replace(/\r\n/g, '\n')));
    expect(feed.events.every((e) => e.description.includes(name))).toBe(true);
    // No label or name started a component or property of its own, and every line is folded within 75 octets.
    expect(res.body.match(/^BEGIN:VEVENT/gm)).toHaveLength(labels.length);
    expect(res.body.match(/^SUMMARY:/gm)).toHaveLength(labels.length);
    expect(res.body.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
  });

  it("names nobody: no member's e-mail address, name or affiliation anywhere in the feed", async () => {
    const s = await setup();
    const ada = await createUser(app, { name: unique('Ada Lovelace'), affiliation: unique('Analytical Engines Ltd') });
    await app.prisma.membership.create({ data: { groupId: s.group.id, userId: ada.id, role: 'PARTICIPANT' } });
    await s.addMilestone('2030-04-25T23:59:00Z', 'comments_close', 'Comments close');
    const link = await subscribe(s.slug, await sessionFor(app, ada.email));
    const res = await fetchFeed(link.httpsUrl);
    expect(res.statusCode).toBe(200);
    // No address of any kind: not the subscriber's, not the conveners', not the mailing list's.
    expect(res.body).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/);
    for (const person of [ada, s.convener, s.editor, s.participant, s.observer]) expect(res.body).not.toContain(person.email);
    expect(res.body).not.toContain(ada.name);
    expect(res.body).not.toContain(ada.affiliation);
    expect(res.body).not.toContain(s.group.mailingList!);
  });

  it('answers 304 to a calendar app that already has the current version (ETag)', async () => {
    const s = await setup();
    await s.addMilestone('2030-04-25T23:59:00Z', 'comments_close', 'Comments close');
    const link = await subscribe(s.slug, s.asParticipant);
    const first = await fetchFeed(link.httpsUrl);
    const etag = String(first.headers.etag);
    const again = await fetchFeed(link.httpsUrl, randomIp(), { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    await s.addMilestone('2030-05-25T23:59:00Z', 'final_comments_close', 'Final comments close');
    expect((await fetchFeed(link.httpsUrl, randomIp(), { 'if-none-match': etag })).statusCode).toBe(200);
  });
});
