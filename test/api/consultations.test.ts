// Member State consultations: issuing the circular (drafts move to consultation, focal points
// are told, the list gets a digest), the Annex 2 form and its rules, one answer per
// Administration per draft under concurrent submissions, the tally hidden before the deadline
// and announced after it, the results exports read by python-docx, and the tally's property.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { sessionFor, type Session } from '../helpers/factories.ts';
import { runPython } from '../helpers/readers.ts';
import { answer, assigns, consultationScene, inHours, refuses, signed, type ConsultationScene } from '../helpers/consultations.ts';
import { computeTally } from '../../server/modules/consultations/tally.ts';
import { announceConsultationResult, remindConsultation, REMIND_QUEUE, RESULT_QUEUE } from '../../server/modules/consultations/consultation-jobs.ts';
import { TallySchema } from '../../server/modules/consultations/consultations.schemas.ts';
import { WORKPROG_ROUTES } from '../../client/src/api/workprog-endpoints.ts';
import { multipart } from '../helpers/multipart.ts';
import { buildZip, MINIMAL_DOCUMENT_XML } from '../unit/revisions/docx-fixture.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

const closeNow = (s: ConsultationScene) => app.prisma.consultation.update({ where: { id: s.consultationId }, data: { deadline: new Date(Date.now() - 1000) } });
const get = (url: string, s: Session) => app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });

describe('issuing a consultation', () => {
  it('moves its drafts to consultation, tells each focal point by e-mail and announces it to the list', async () => {
    const s = await consultationScene(app);
    const items = await app.prisma.workItem.findMany({ where: { id: { in: s.drafts.map((d) => d.workItemId) } } });
    expect(items.map((i) => i.status)).toEqual(['CONSULTATION', 'CONSULTATION']);
    await app.ctx.events.drain();
    const mails = await app.prisma.mailboxMessage.findMany({ where: { to: { in: [s.focal.a1.email, s.focal.a2.email, s.focal.b.email] } } });
    expect(mails).toHaveLength(3);
    expect(mails[0]!.subject).toMatch(/^TSB Circular .*: answer for Administration [A-Z]{3} by /);
    expect(mails[0]!.text).toContain(`/groups/${s.slug}/consultations/${s.consultationId}`);
    const digest = await app.prisma.digest.findUnique({ where: { key: `consultation-issued:${s.consultationId}` } });
    expect(digest?.subject).toMatch(/Member State consultation issued/);
    expect(digest?.text).toContain('X.1332 (X.sgsec-3)');
  });

  it('refuses a threshold outside 0–100 and drafts that are not determined or consented, storing nothing', async () => {
    const s = await consultationScene(app, { draftCount: 1 });
    const body = {
      reference: 'TSB Circular 1',
      issuedOn: '2019-11-29',
      subject: 'S',
      deadline: inHours(24),
      thresholdPercent: 101,
      workItemIds: [s.drafts[0]!.workItemId],
    };
    const r1 = await app.inject({ method: 'POST', url: `/api/groups/${s.slug}/consultations`, headers: s.convener.headers, payload: body });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().field).toBe('body.thresholdPercent');
    const r2 = await app.inject({
      method: 'POST',
      url: `/api/groups/${s.slug}/consultations`,
      headers: s.convener.headers,
      payload: { ...body, thresholdPercent: -1 },
    });
    expect(r2.statusCode).toBe(400);
    const fresh = await app.prisma.workItem.create({ data: { groupId: s.cast.group.id, acronym: 'X.new', title: 'New', approvalProcess: 'TAP' } });
    const r3 = await app.inject({
      method: 'POST',
      url: `/api/groups/${s.slug}/consultations`,
      headers: s.convener.headers,
      payload: { ...body, thresholdPercent: 70, workItemIds: [fresh.id] },
    });
    expect(r3.statusCode).toBe(409);
    expect(r3.json()).toMatchObject({ code: 'work_item_not_ready', field: 'body.workItemIds.0' });
    expect(await app.prisma.consultation.count({ where: { groupId: s.cast.group.id } })).toBe(1);
  });
});

describe('the response form', () => {
  it('stores one signed answer per draft for the Administration and shows it to its other focal point', async () => {
    const s = await consultationScene(app);
    const [a1, a2] = await Promise.all([sessionFor(app, s.focal.a1.email), sessionFor(app, s.focal.a2.email)]);
    const res = await answer(app, s.base, a1, [assigns(s.drafts[0]!.id), { ...assigns(s.drafts[1]!.id), option: 'comments_attached', text: 'See clause 7.' }]);
    expect(res.statusCode, res.body).toBe(200);
    const seen = (await get(s.base, a2)).json();
    expect(seen.mine.administration.code).toBe(s.codes.a);
    expect(seen.mine.answers).toEqual([
      expect.objectContaining({ draftId: s.drafts[0]!.id, position: 'assigns_authority', option: 'no_comments', version: 1, ...signed }),
      expect.objectContaining({ draftId: s.drafts[1]!.id, option: 'comments_attached', text: 'See clause 7.' }),
    ]);
    expect(seen.abilities).toMatchObject({ answer: true, manage: false, readProgress: false });
    expect(seen.invitees[0].focalPoints[0].email).toBeUndefined();
  });

  it('refuses "does not assign authority" without reasons, naming the field, and stores nothing', async () => {
    const s = await consultationScene(app);
    const a1 = await sessionFor(app, s.focal.a1.email);
    const cases: [object, string, string][] = [
      [refuses(s.drafts[0]!.id, '   '), 'answer_reasons_required', 'body.answers.0.text'],
      [{ draftId: s.drafts[0]!.id, position: 'assigns_authority', expectedVersion: 0 }, 'answer_option_required', 'body.answers.0.option'],
      [{ ...refuses(s.drafts[0]!.id), option: 'no_comments' }, 'answer_option_not_applicable', 'body.answers.0.option'],
      [{ ...assigns(s.drafts[0]!.id), option: 'comments_attached' }, 'answer_comments_required', 'body.answers.0.text'],
      [assigns('00000000-0000-7000-8000-000000000000'), 'draft_not_in_consultation', 'body.answers.0.draftId'],
    ];
    for (const [bad, code, field] of cases) {
      const res = await answer(app, s.base, a1, [assigns(s.drafts[1]!.id), bad].reverse());
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ code, field });
      expect(res.json().message).toMatch(/\w+ \w+/);
    }
    expect(await app.prisma.consultationAnswer.count({ where: { consultationId: s.consultationId } })).toBe(0);
  });

  it('refuses anyone who is not a focal point of an invited Administration with 403, conveners and the operator included', async () => {
    const s = await consultationScene(app);
    const res = await answer(app, s.base, s.convener, [assigns(s.drafts[0]!.id)]);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('not_focal_point');
    expect(await app.prisma.consultationAnswer.count({ where: { consultationId: s.consultationId } })).toBe(0);
  });

  it('lets one of two parallel submissions win; the other sees the winner and may replace it', async () => {
    const s = await consultationScene(app, { draftCount: 1 });
    const [a1, a2] = await Promise.all([sessionFor(app, s.focal.a1.email), sessionFor(app, s.focal.a2.email)]);
    const draft = s.drafts[0]!.id;
    const [r1, r2] = await Promise.all([answer(app, s.base, a1, [assigns(draft)]), answer(app, s.base, a2, [refuses(draft)])]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 409]);
    const loser = r1.statusCode === 409 ? r1 : r2;
    expect(loser.json()).toMatchObject({ code: 'answer_changed', current: [expect.objectContaining({ draftId: draft, version: 1 })] });
    expect(await app.prisma.consultationAnswer.count({ where: { draftId: draft } })).toBe(1);
    const replaced = await answer(app, s.base, a2, [refuses(draft, 'Reasons after reading the other answer.', 1)]);
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().answers).toEqual([
      expect.objectContaining({ version: 2, position: 'does_not_assign_authority', answeredBy: { id: s.focal.a2.id, name: 'Focal A2' } }),
    ]);
    const audit = await app.prisma.auditEntry.findMany({ where: { entityType: 'ConsultationAnswer', groupId: s.cast.group.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['consultations.answered', 'consultations.answerReplaced']);
    expect(audit[1]!.before).toMatchObject({ version: 1 });
  });

  it('refuses to remove a draft once an Administration has answered on it (409), and removes an unanswered one', async () => {
    const s = await consultationScene(app, { draftCount: 3 });
    const b = await sessionFor(app, s.focal.b.email);
    expect((await answer(app, s.base, b, [assigns(s.drafts[0]!.id)])).statusCode).toBe(200);
    const put = (ids: string[]) => app.inject({ method: 'PUT', url: `${s.base}/drafts`, headers: s.convener.headers, payload: { workItemIds: ids } });
    const refused = await put([s.drafts[1]!.workItemId, s.drafts[2]!.workItemId]);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('draft_has_answers');
    const ok = await put([s.drafts[0]!.workItemId, s.drafts[1]!.workItemId]);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().drafts.map((d: { workItemId: string }) => d.workItemId)).toEqual([s.drafts[0]!.workItemId, s.drafts[1]!.workItemId]);
  });
});

describe('the tally', () => {
  it('shows the secretariat who has answered before the deadline, but not how; after it, counts, outcome and reasons for the group', async () => {
    const s = await consultationScene(app, { threshold: 70 });
    const [a1, b, participant] = await Promise.all([
      sessionFor(app, s.focal.a1.email),
      sessionFor(app, s.focal.b.email),
      sessionFor(app, s.cast.participant.email),
    ]);
    await answer(app, s.base, a1, [assigns(s.drafts[0]!.id), assigns(s.drafts[1]!.id)]);
    await answer(app, s.base, b, [assigns(s.drafts[0]!.id), refuses(s.drafts[1]!.id, 'Clause 8 needs the misbehaviour reporting of ITS stations.')]);
    const before = await get(`${s.base}/tally`, s.convener);
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({ announced: false, invited: 2, notAnswered: [] });
    expect(before.json().rows[1]).toMatchObject({ replies: 2, inSupport: null, notInSupport: null, percentInSupport: null, outcome: null, reasons: [] });
    expect(
      before
        .json()
        .rows[1].answered.map((x: { code: string }) => x.code)
        .sort(),
    ).toEqual([s.codes.a, s.codes.b].sort());
    expect((await get(`${s.base}/tally`, participant)).statusCode).toBe(403);
    expect((await get(`${s.base}/results.csv`, s.convener)).json().code).toBe('consultation_open');

    await closeNow(s);
    const after = await get(`${s.base}/tally`, participant);
    expect(after.statusCode).toBe(200);
    // The route writes its JSON itself: hold it to the documented schema.
    expect(TallySchema.safeParse(after.json()).error).toBeUndefined();
    expect(TallySchema.safeParse(before.json()).error).toBeUndefined();
    expect(after.json().rows).toEqual([
      expect.objectContaining({ replies: 2, inSupport: 2, notInSupport: 0, percentInSupport: 100, outcome: 'meets', reasons: [] }),
      expect.objectContaining({
        replies: 2,
        inSupport: 1,
        notInSupport: 1,
        percentInSupport: 50,
        outcome: 'fails',
        reasons: [
          {
            administration: `Administration ${s.codes.b}`,
            position: 'does_not_assign_authority',
            option: null,
            text: 'Clause 8 needs the misbehaviour reporting of ITS stations.',
          },
        ],
      }),
    ]);
    const late = await answer(app, s.base, a1, [refuses(s.drafts[0]!.id, 'late', 1)]);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('consultation_closed');

    const csv = await get(`${s.base}/results.csv`, participant);
    expect(csv.body).toContain('X.1365 (X.ibc-iot)');
    expect(csv.body).toContain('2,1,1,50.0 %,70 %,Does not meet the threshold');
    const docx = await get(`${s.base}/results.docx`, participant);
    expect(docx.statusCode).toBe(200);
    const read = await runPython<{ rows: string[][]; text: string }>(
      `import sys, json, docx, io
d = docx.Document(io.BytesIO(sys.stdin.buffer.read()))
rows = [[c.text for c in r.cells] for r in d.tables[0].rows]
print(json.dumps({"rows": rows, "text": "\\n".join(p.text for p in d.paragraphs)}))`,
      docx.rawPayload,
    );
    expect(read.rows[0]).toEqual(['Draft', 'Replies', 'In support', 'Not in support', 'Replies in support', 'Outcome']);
    expect(read.rows[2]).toEqual(['X.1365 (X.ibc-iot)', '2', '1', '1', '50.0 %', 'Does not meet the threshold']);
    expect(read.text).toContain('Clause 8 needs the misbehaviour reporting of ITS stations.');
  });

  it('meets the threshold exactly at 70 % of the replies and never otherwise (property, against a reference computation)', async () => {
    // The SQL path: random answers of up to 12 Administrations on 3 drafts, any threshold.
    const s = await consultationScene(app, { draftCount: 3 });
    const admins = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        app.prisma.administration.upsert({
          where: { code: `Q${String.fromCharCode(65 + i)}Z` },
          create: { code: `Q${String.fromCharCode(65 + i)}Z`, name: `Prop ${i}` },
          update: {},
        }),
      ),
    );
    const draftIds = s.drafts.map((d) => d.id);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 100 }),
        fc.array(fc.array(fc.constantFrom<'yes' | 'no' | 'none'>('yes', 'no', 'none'), { minLength: 3, maxLength: 3 }), { minLength: 12, maxLength: 12 }),
        async (threshold, grid) => {
          await app.prisma.consultationAnswer.deleteMany({ where: { consultationId: s.consultationId } });
          await app.prisma.consultation.update({
            where: { id: s.consultationId },
            data: { thresholdPercent: threshold, deadline: new Date(Date.now() - 1000) },
          });
          const rows = grid.flatMap((perDraft, a) =>
            perDraft.flatMap((v, d) =>
              v === 'none'
                ? []
                : [
                    {
                      consultationId: s.consultationId,
                      draftId: draftIds[d]!,
                      administrationId: admins[a]!.id,
                      position: v === 'yes' ? ('ASSIGNS_AUTHORITY' as const) : ('DOES_NOT_ASSIGN_AUTHORITY' as const),
                      option: v === 'yes' ? ('NO_COMMENTS' as const) : null,
                      text: v === 'yes' ? '' : 'reasons',
                      signedName: 'n',
                      signedRole: 'r',
                    },
                  ],
            ),
          );
          await app.prisma.consultationAnswer.createMany({ data: rows });
          const tally = (await get(`${s.base}/tally`, s.convener)).json();
          draftIds.forEach((_id, d) => {
            const votes = grid.map((g) => g[d]).filter((v) => v !== 'none');
            const support = votes.filter((v) => v === 'yes').length;
            // The reference: the least number of supporting replies the rule needs.
            const needed = Math.ceil((threshold * votes.length) / 100);
            const expected = votes.length === 0 ? 'no_replies' : support >= needed ? 'meets' : 'fails';
            expect(tally.rows[d]).toMatchObject({ replies: votes.length, inSupport: support, outcome: expected });
          });
          const pure = computeTally(
            draftIds,
            rows.map((r) => ({ draftId: r.draftId, supports: r.position === 'ASSIGNS_AUTHORITY' })),
            threshold,
            true,
          );
          expect(pure.map((p) => p.outcome)).toEqual(tally.rows.map((r: { outcome: string }) => r.outcome));
        },
      ),
      {
        numRuns: 20,
        // At the boundary: 7 of 10 replies (exactly 70 %) meets it, 6 of 9 (66.7 %) does not, 0 replies is no outcome.
        examples: [
          [
            70,
            [
              ...Array.from({ length: 6 }, () => ['yes', 'yes', 'none'] as ('yes' | 'no' | 'none')[]),
              ['yes', 'no', 'none'],
              ['no', 'no', 'none'],
              ['no', 'no', 'none'],
              ['no', 'none', 'none'],
              ['none', 'none', 'none'],
              ['none', 'none', 'none'],
            ],
          ],
        ],
      },
    );
  });
});

describe('the reminder and the result', () => {
  it('schedules both with the consultation, reminds the focal points of Administrations that have not answered every draft, and announces the result once', async () => {
    const s = await consultationScene(app);
    const jobs = await app.prisma.$queryRawUnsafe<{ name: string; data: { hours?: number } }[]>(
      `SELECT name, data FROM ${app.ctx.config.jobs.schema}.job WHERE data->>'consultationId' = $1 ORDER BY name, start_after`,
      s.consultationId,
    );
    expect(jobs.map((j) => [j.name, j.data.hours ?? null])).toEqual([
      [REMIND_QUEUE, 24],
      [RESULT_QUEUE, null],
    ]);
    const a1 = await sessionFor(app, s.focal.a1.email);
    await answer(app, s.base, a1, [assigns(s.drafts[0]!.id), assigns(s.drafts[1]!.id)]);
    const b = await sessionFor(app, s.focal.b.email);
    await answer(app, s.base, b, [assigns(s.drafts[0]!.id)]);
    const c = await app.prisma.consultation.findUniqueOrThrow({ where: { id: s.consultationId } });
    const job = { consultationId: c.id, deadline: c.deadline.toISOString() };
    await remindConsultation(app, { ...job, hours: 24 });
    await remindConsultation(app, { ...job, hours: 24 });
    await app.ctx.events.drain();
    const reminders = await app.prisma.mailboxMessage.findMany({
      where: { subject: { startsWith: 'Reminder:' }, to: { in: [s.focal.a1.email, s.focal.a2.email, s.focal.b.email] } },
    });
    expect(reminders.map((m) => m.to)).toEqual([s.focal.b.email]);
    expect(reminders[0]!.text).toContain('has answered 1 of the 2 draft texts');
    expect(await app.prisma.digest.count({ where: { groupId: s.cast.group.id, kind: 'REMINDER' } })).toBe(1);

    // At the deadline (a job for a former deadline does nothing).
    await announceConsultationResult(app, job);
    expect(await app.prisma.digest.count({ where: { groupId: s.cast.group.id, key: { startsWith: 'consultation-result:' } } })).toBe(0);
    const closed = await app.prisma.consultation.update({ where: { id: c.id }, data: { deadline: new Date(Date.now() - 1000) } });
    const atDeadline = { consultationId: c.id, deadline: closed.deadline.toISOString() };
    await announceConsultationResult(app, atDeadline);
    await announceConsultationResult(app, atDeadline);
    const result = await app.prisma.digest.findMany({ where: { groupId: s.cast.group.id, key: { startsWith: 'consultation-result:' } } });
    expect(result).toHaveLength(1);
    expect(result[0]!.text).toContain('X.1332 (X.sgsec-3)');
    expect(result[0]!.text).toContain('2 replies, 2 in support, 100 % in support: meets the threshold');
    expect(result[0]!.text).toContain('1 reply, 1 in support, 100 % in support: meets the threshold');
  });
});

describe('extending the deadline', () => {
  const extend = (s: ConsultationScene, session: Session, deadline: string) =>
    app.inject({ method: 'POST', url: `${s.base}/deadline`, headers: session.headers, payload: { deadline } });
  const jobsOf = (id: string) =>
    app.prisma.$queryRawUnsafe<{ name: string; data: { deadline: string; hours?: number } }[]>(
      `SELECT name, data FROM ${app.ctx.config.jobs.schema}.job WHERE data->>'consultationId' = $1 ORDER BY name, start_after`,
      id,
    );

  it('moves the deadline later, audited; reschedules the reminder and the result; tells every focal point; the former jobs do nothing', async () => {
    const s = await consultationScene(app);
    const before = await app.prisma.consultation.findUniqueOrThrow({ where: { id: s.consultationId } });
    const later = new Date(before.deadline.getTime() + 7 * 86_400_000).toISOString();
    const res = await extend(s, s.convener, later);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().deadline).toBe(later);
    const audit = await app.prisma.auditEntry.findFirstOrThrow({ where: { entityId: s.consultationId, action: 'consultations.deadlineExtended' } });
    expect([audit.actorId, audit.before, audit.after]).toEqual([s.cast.convener.id, { deadline: before.deadline.toISOString() }, { deadline: later }]);
    const jobs = await jobsOf(s.consultationId);
    // Nine days out now: the week-ahead reminder is due too.
    expect(jobs.filter((j) => j.data.deadline === later).map((j) => [j.name, j.data.hours ?? null])).toEqual([
      [REMIND_QUEUE, 168],
      [REMIND_QUEUE, 24],
      [RESULT_QUEUE, null],
    ]);
    await app.ctx.events.drain();
    const mails = await app.prisma.mailboxMessage.findMany({
      where: { subject: { contains: 'deadline extended' }, to: { in: [s.focal.a1.email, s.focal.a2.email, s.focal.b.email] } },
    });
    expect(mails.map((m) => m.to).sort()).toEqual([s.focal.a1.email, s.focal.a2.email, s.focal.b.email].sort());
    expect(mails[0]!.text).toContain('Answers are now accepted until');
    // A job of the former deadline finds it changed: no reminder, no result.
    await remindConsultation(app, { consultationId: s.consultationId, deadline: before.deadline.toISOString(), hours: 24 });
    expect(await app.prisma.digest.count({ where: { groupId: s.cast.group.id, kind: 'REMINDER' } })).toBe(0);
  });

  it('refuses a deadline that is not later (400 naming the field) and any change once the deadline has passed (409), storing nothing', async () => {
    const s = await consultationScene(app);
    const before = await app.prisma.consultation.findUniqueOrThrow({ where: { id: s.consultationId } });
    const same = await extend(s, s.convener, before.deadline.toISOString());
    expect(same.statusCode).toBe(400);
    expect(same.json()).toMatchObject({ code: 'deadline_not_later', field: 'body.deadline' });
    await closeNow(s);
    const late = await extend(s, s.convener, inHours(72));
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('consultation_closed');
    expect(await app.prisma.auditEntry.count({ where: { entityId: s.consultationId, action: 'consultations.deadlineExtended' } })).toBe(0);
    expect((await app.prisma.consultation.findUniqueOrThrow({ where: { id: s.consultationId } })).deadline.getTime()).toBeLessThan(Date.now());
  });
});

describe('attachments to answers', () => {
  const PDF = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n');
  const attach = (s: ConsultationScene, session: Session, draftId: string, content: Buffer, filename = 'comments.pdf') => {
    const { payload, headers } = multipart({}, { name: 'file', filename, content, type: 'application/octet-stream' });
    return app.inject({ method: 'POST', url: `${s.base}/drafts/${draftId}/attachments`, headers: { ...session.headers, ...headers }, payload });
  };
  const count = (s: ConsultationScene) => app.prisma.consultationAttachment.count({ where: { consultationId: s.consultationId } });

  it('stores a PDF and a .docx per draft and Administration, told by their bytes; the secretariat reads them at once, the group after the deadline', async () => {
    const s = await consultationScene(app);
    const [a1, a2, b, participant] = await Promise.all([
      sessionFor(app, s.focal.a1.email),
      sessionFor(app, s.focal.a2.email),
      sessionFor(app, s.focal.b.email),
      sessionFor(app, s.cast.participant.email),
    ]);
    const draftId = s.drafts[0]!.id;
    const pdf = await attach(s, a1, draftId, PDF, 'Réponse CHE.pdf');
    expect(pdf.statusCode, pdf.body).toBe(201);
    expect(pdf.json()).toMatchObject({
      draftId,
      fileName: 'Réponse CHE.pdf',
      contentType: 'application/pdf',
      size: PDF.length,
      uploadedBy: { name: 'Focal A1' },
    });
    const docx = await buildZip({ 'word/document.xml': MINIMAL_DOCUMENT_XML });
    // The name says PDF, the bytes say Word: the bytes win.
    const word = await attach(s, a1, draftId, docx, 'changes.pdf');
    expect(word.statusCode, word.body).toBe(201);
    expect(word.json().contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const audit = await app.prisma.auditEntry.findFirstOrThrow({ where: { entityId: pdf.json().id, action: 'consultations.attached' } });
    expect(audit.after).toMatchObject({ draftId, fileName: 'Réponse CHE.pdf', size: PDF.length });

    const url = `${s.base}/attachments/${pdf.json().id}`;
    // The other focal point of the Administration sees both; another Administration and the group nothing yet.
    expect((await get(s.base, a2)).json().attachments.map((x: { fileName: string }) => x.fileName)).toEqual(['Réponse CHE.pdf', 'changes.pdf']);
    expect((await get(s.base, b)).json().attachments).toEqual([]);
    expect((await get(s.base, participant)).json().attachments).toEqual([]);
    expect((await get(url, b)).statusCode).toBe(404);
    expect((await get(url, participant)).statusCode).toBe(403);
    const download = await get(url, s.convener);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="R_ponse CHE.pdf"; filename*=UTF-8''R%C3%A9ponse%20CHE.pdf`);
    expect(download.rawPayload.equals(PDF)).toBe(true);

    await closeNow(s);
    expect((await get(url, participant)).rawPayload.equals(PDF)).toBe(true);
    expect((await get(url, b)).statusCode).toBe(200);
    expect((await get(s.base, participant)).json().attachments).toHaveLength(2);
    const late = await attach(s, a2, draftId, PDF);
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('consultation_closed');
    expect(await count(s)).toBe(2);
  });

  it('refuses other types (415), a file over the limit (413), a zip that is not Word (422), a sixth file (409) and anyone but a focal point (403), storing nothing', async () => {
    const s = await consultationScene(app);
    const [a1, a2, b] = await Promise.all([sessionFor(app, s.focal.a1.email), sessionFor(app, s.focal.a2.email), sessionFor(app, s.focal.b.email)]);
    const draftId = s.drafts[1]!.id;
    const text = await attach(s, a1, draftId, Buffer.from('Our comments, as plain text.'), 'comments.pdf');
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ code: 'attachment_type_not_allowed', message: 'Attach a PDF or a Word document (.docx).' });
    const zip = await attach(s, a1, draftId, await buildZip({ 'xl/workbook.xml': '<workbook/>' }), 'sheet.docx');
    expect([zip.statusCode, zip.json().code]).toEqual([422, 'not_a_docx']);
    const big = Buffer.concat([PDF, Buffer.alloc(app.ctx.config.limits.docxImport.maxBytes)]);
    const tooLarge = await attach(s, a1, draftId, big);
    expect([tooLarge.statusCode, tooLarge.json().code]).toEqual([413, 'file_too_large']);
    const convener = await attach(s, s.convener, draftId, PDF);
    expect([convener.statusCode, convener.json().code]).toEqual([403, 'not_focal_point']);
    expect(await count(s)).toBe(0);

    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await attach(s, i % 2 ? a2 : a1, draftId, PDF, `part-${i}.pdf`)).json().id);
    const sixth = await attach(s, a1, draftId, PDF);
    expect([sixth.statusCode, sixth.json().code]).toEqual([409, 'too_many_attachments']);
    // Another Administration's file is not found for this focal point; its own is removed, audited.
    const remove = (session: Session, id: string) => app.inject({ method: 'DELETE', url: `${s.base}/attachments/${id}`, headers: session.headers });
    expect((await remove(b, ids[0]!)).statusCode).toBe(404);
    expect((await remove(a2, ids[0]!)).statusCode).toBe(204);
    expect(await app.prisma.auditEntry.count({ where: { entityId: ids[0]!, action: 'consultations.attachmentRemoved' } })).toBe(1);
    expect((await attach(s, a1, draftId, PDF)).statusCode).toBe(201);
    expect(await count(s)).toBe(5);
    // A draft with attachments stays in the consultation, as one with answers does.
    const drafts = await app.inject({
      method: 'PUT',
      url: `${s.base}/drafts`,
      headers: s.convener.headers,
      payload: { workItemIds: [s.drafts[0]!.workItemId] },
    });
    expect([drafts.statusCode, drafts.json().code]).toEqual([409, 'draft_has_answers']);
  });
});

describe("a focal point's consultations", () => {
  it('lists the consultations they answer for, in every group', async () => {
    const s = await consultationScene(app);
    const a1 = await sessionFor(app, s.focal.a1.email);
    const mine = (await app.inject({ method: 'GET', url: '/api/consultations/mine', headers: { cookie: a1.cookie } })).json();
    expect(mine.consultations).toEqual([expect.objectContaining({ id: s.consultationId, closed: false, group: expect.objectContaining({ slug: s.slug }) })]);
    // Not a member of the group: the group itself stays out of sight.
    expect((await get(`/api/groups/${s.slug}`, a1)).statusCode).toBe(404);
  });
});

describe('the client', () => {
  it('calls only routes the server has', () => {
    expect(Object.values(WORKPROG_ROUTES).filter(([method, url]) => !app.hasRoute({ method, url }))).toEqual([]);
  });
});
