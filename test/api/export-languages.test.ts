// Exports and feeds in the group's main language (Group.languages[0]), read back with the readers
// their users have: python-docx, openpyxl, python icalendar and a CSV parser. A French group and an
// Arabic one (whose Word paragraphs and tables run right to left, and whose sheet does).
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportText } from '../../server/lib/export-language.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { consultationScene } from '../helpers/consultations.ts';
import { adjudicationScene, inHours, sessionFor, type Scene } from '../helpers/dispositions.ts';
import type { Session } from '../helpers/factories.ts';
import { runPython } from '../helpers/readers.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

const fr = exportText('fr');
const ar = exportText('ar');

/** A scene whose group works in `languages`, with c1 proposed "accepted" by the convener. */
async function sceneIn(languages: string[]): Promise<{ scene: Scene; convener: Session }> {
  const scene = await adjudicationScene(app);
  // Set directly: the convener's setting is another route's.
  await app.prisma.group.update({ where: { id: scene.group.id }, data: { languages } });
  const convener = await sessionFor(app, scene.convener);
  const res = await app.inject({
    method: 'PUT',
    url: `${scene.commentUrl(scene.comments.c1.id)}/disposition`,
    headers: convener.headers,
    payload: { disposition: 'accepted', rationale: 'Merged into 7.1.', expectedVersion: 0, respondBy: inHours(24) },
  });
  expect(res.statusCode, res.body).toBe(200);
  return { scene, convener };
}

const download = async (url: string, s: Session) => {
  const res = await app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res;
};

const READ_DOCX = `import sys, json, docx, io
from docx.oxml.ns import qn
d = docx.Document(io.BytesIO(sys.stdin.buffer.read()))
paragraphs = [{"text": p.text, "bidi": p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None} for p in d.paragraphs]
tables = [{"rows": [[c.text for c in r.cells] for r in t.rows],
           "bidiVisual": t._tbl.tblPr.find(qn("w:bidiVisual")) is not None} for t in d.tables]
print(json.dumps({"paragraphs": paragraphs, "tables": tables}))`;
type DocxRead = { paragraphs: { text: string; bidi: boolean }[]; tables: { rows: string[][]; bidiVisual: boolean }[] };

const READ_XLSX = `import sys, json, io, openpyxl
wb = openpyxl.load_workbook(io.BytesIO(sys.stdin.buffer.read()))
ws = wb.worksheets[0]
rows = [[("" if c is None else str(c)) for c in r] for r in ws.iter_rows(values_only=True)]
print(json.dumps({"title": ws.title, "rightToLeft": bool(ws.sheet_view.rightToLeft), "rows": rows}))`;

const READ_ICS = `import sys, json
from icalendar import Calendar
cal = Calendar.from_ical(sys.stdin.buffer.read())
events = [{"summary": str(e.get("summary")), "description": str(e.get("description")), "categories": [str(c) for c in e.get("categories").cats]} for e in cal.walk("VEVENT")]
print(json.dumps({"name": str(cal.get("X-WR-CALNAME")), "description": str(cal.get("X-WR-CALDESC")), "events": events}))`;

const COLUMNS = ['number', 'commenter', 'clause', 'paragraph', 'type', 'comment', 'proposedChange', 'disposition', 'response'];
const TEMPLATE_COLUMNS = ['memberBody', 'line', 'clause', 'paragraph', 'type', 'comment', 'proposedChange', 'observations', 'response'];

describe('the disposition table in the group’s language', () => {
  it('writes the .docx, .csv and .xlsx headings and fixed texts in French', async () => {
    const { scene, convener } = await sceneIn(['fr', 'en']);
    const docx = await download(`${scene.base}/disposition-table.docx`, convener);
    expect(docx.headers['content-language']).toBe('fr');
    const word = await runPython<DocxRead>(READ_DOCX, docx.rawPayload);
    expect(word.paragraphs[0]!.text).toBe('Suite donnée aux commentaires');
    expect(word.paragraphs.map((p) => p.text)).toEqual(
      expect.arrayContaining([`Groupe : ${scene.group.name} (${scene.group.acronym})`, 'Commentaires : 4 commentaires']),
    );
    const [header, ...rows] = word.tables[0]!.rows;
    expect(header).toEqual(COLUMNS.map((key) => fr(`column.${key}`)));
    expect(header).toContain('Observations / suite donnée et justification');
    const accepted = rows.find((row) => row[5] === 'Key extraction needs tamper resistance.')!;
    expect(accepted[7]).toBe('Accepté (proposé) — Merged into 7.1.');
    expect(accepted[8]).toBe('');
    const whole = rows.find((row) => row[5] === 'The report should cite Y.2060.')!;
    expect(whole[2]).toBe('Général'); // the whole-document comment
    expect(whole[7]).toBe('Pas encore décidé');

    const csv = await download(`${scene.base}/disposition-table.csv`, convener);
    const records = parse(csv.rawPayload.toString('utf8').replace(/^\uFEFF/, '')) as string[][];
    expect(records[0]!.slice(0, 9)).toEqual(COLUMNS.map((key) => fr(`column.${key}`)));
    // The machine columns keep their names in every language.
    expect(records[0]!.slice(9)).toEqual(['disposition_code', 'status', 'response_kind', 'organisation', 'implemented_in', 'origin']);
    expect(records.find((r) => r[5] === 'Key extraction needs tamper resistance.')![7]).toBe('Accepté (proposé) — Merged into 7.1.');

    const xlsx = await download(`${scene.base}/disposition-table.xlsx`, convener);
    const sheet = await runPython<{ title: string; rightToLeft: boolean; rows: string[][] }>(READ_XLSX, xlsx.rawPayload);
    expect(sheet.title).toBe('Commentaires');
    expect(sheet.rows[0]![0]).toBe('Modèle pour les commentaires et les observations du secrétariat');
    expect(sheet.rows[2]![0]).toBe('Groupe :');
    expect(sheet.rows[3]).toEqual(TEMPLATE_COLUMNS.map((key) => fr(`template.column.${key}`)));
    expect(sheet.rightToLeft).toBe(false);
  });

  it('writes them in Arabic, right to left, and the import reads the Arabic template back', async () => {
    const { scene, convener } = await sceneIn(['ar']);
    const docx = await download(`${scene.base}/disposition-table.docx`, convener);
    expect(docx.headers['content-language']).toBe('ar');
    const word = await runPython<DocxRead>(READ_DOCX, docx.rawPayload);
    expect(word.paragraphs[0]).toEqual({ text: 'التصرف في التعليقات', bidi: true });
    expect(word.paragraphs.find((p) => p.text.startsWith('التعليقات:'))).toEqual({ text: 'التعليقات: 4 تعليقات', bidi: true });
    expect(word.tables[0]!.bidiVisual).toBe(true);
    expect(word.tables[0]!.rows[0]).toEqual(COLUMNS.map((key) => ar(`column.${key}`)));
    expect(word.tables[0]!.rows.find((r) => r[5] === 'Key extraction needs tamper resistance.')![7]).toBe('مقبول (مقترح) — Merged into 7.1.');

    const xlsx = await download(`${scene.base}/disposition-table.xlsx`, convener);
    const sheet = await runPython<{ title: string; rightToLeft: boolean; rows: string[][] }>(READ_XLSX, xlsx.rawPayload);
    expect(sheet.rightToLeft).toBe(true);
    expect(sheet.rows[3]).toEqual(TEMPLATE_COLUMNS.map((key) => ar(`template.column.${key}`)));
    // A revision as Word: its title block in Arabic, right to left.
    const revision = await download(`${scene.base}/revisions/1/revision.docx`, convener);
    expect(revision.headers['content-language']).toBe('ar');
    const text = await runPython<DocxRead>(READ_DOCX, revision.rawPayload);
    expect(text.paragraphs).toEqual(expect.arrayContaining([{ text: `المجموعة: ${scene.group.name} (${scene.group.acronym})`, bidi: true }]));
    expect(text.paragraphs.find((p) => p.text.startsWith('المراجعة:'))?.bidi).toBe(true);

    // Convene's own import recognises the Arabic headings (its Latin patterns could not).
    const { recogniseHeader } = await import('../../server/modules/interchange/import/template-columns.ts');
    expect(Object.keys(recogniseHeader(sheet.rows[3]!).columns).sort()).toEqual(
      ['memberBody', 'line', 'clause', 'paragraph', 'type', 'comment', 'proposedChange', 'observations'].sort(),
    );
  });

  it('writes the final report’s title block and its annex in French', async () => {
    const { scene, convener } = await sceneIn(['fr']);
    const { c1, c2, c3, c4 } = scene.comments;
    // Every disposition final, written directly: the decision routes are tested elsewhere.
    await app.prisma.disposition.update({ where: { commentId: c1.id }, data: { status: 'FINAL' } });
    await app.prisma.disposition.createMany({
      data: [c2, c3, c4].map((c) => ({
        commentId: c.id,
        documentId: scene.document.id,
        code: 'NOTED' as const,
        status: 'FINAL' as const,
        rationale: 'Vu.',
        updatedAt: new Date(),
      })),
    });
    const published = await app.inject({ method: 'POST', url: `${scene.base}/final-report`, headers: convener.headers, payload: { revision: 1 } });
    expect(published.statusCode, published.body).toBeLessThan(300);
    const docx = await download(`${scene.base}/final-report.docx`, convener);
    expect(docx.headers['content-language']).toBe('fr');
    const word = await runPython<DocxRead>(READ_DOCX, docx.rawPayload);
    const texts = word.paragraphs.map((p) => p.text);
    expect(texts).toContain(`Document : ${scene.document.title} — Rapport final`);
    expect(texts).toContain('Annexe – Suite donnée aux commentaires');
    expect(word.tables[0]!.rows[0]).toEqual(COLUMNS.map((key) => fr(`column.${key}`)));
    expect(word.tables[0]!.rows.some((row) => row[7] === 'Pris en note — Vu.')).toBe(true);
  });

  it('keeps English for a group whose languages name none of the six', async () => {
    const { scene, convener } = await sceneIn(['xx']);
    const csv = await download(`${scene.base}/disposition-table.csv`, convener);
    expect(csv.headers['content-language']).toBe('en');
    expect(csv.rawPayload.toString('utf8')).toContain('Observations / disposition and rationale');
  });
});

describe('the calendar feed in the group’s language', () => {
  it('writes the calendar’s name, the kinds, the effect sentences and the server’s own labels in French and Arabic', async () => {
    for (const [locale, t] of [
      ['fr', fr],
      ['ar', ar],
    ] as const) {
      const { scene, convener } = await sceneIn([locale]);
      const values = { sequence: 1, label: scene.revision.label, title: scene.document.title };
      await app.prisma.milestone.createMany({
        data: [
          {
            groupId: scene.group.id,
            at: new Date('2030-04-25T23:59:00Z'),
            kind: 'COMMENTS_CLOSE',
            effect: 'CLOSE_COMMENTS',
            revisionId: scene.revision.id,
            label: exportText('en')('calendar.label.CLOSE_COMMENTS', values), // as the server wrote it
          },
          { groupId: scene.group.id, at: new Date('2030-05-10T09:00:00Z'), kind: 'MEETING', label: 'Réunion e-meeting / اجتماع' },
        ],
      });
      const link = await app.inject({ method: 'POST', url: `/api/groups/${scene.slug}/calendar-feed`, headers: convener.headers });
      expect(link.statusCode, link.body).toBeLessThan(300);
      const feed = await app.inject({ method: 'GET', url: new URL(link.json().httpsUrl).pathname });
      expect(feed.statusCode).toBe(200);
      const cal = await runPython<{ name: string; description: string; events: { summary: string; description: string; categories: string[] }[] }>(
        READ_ICS,
        feed.rawPayload,
      );
      expect(cal.name).toBe(t('calendar.name', { acronym: scene.group.acronym }));
      expect(cal.description).toBe(t('calendar.description', { group: scene.group.name }));
      const [closing, meeting] = cal.events;
      expect(closing!.summary).toBe(t('calendar.label.CLOSE_COMMENTS', values));
      expect(closing!.categories).toEqual([t('calendar.kind.COMMENTS_CLOSE')]);
      expect(closing!.description).toContain(t('calendar.effect.CLOSE_COMMENTS', values));
      expect(closing!.description).toContain(t('calendar.groupHome', { url: `http://localhost:3000/groups/${scene.slug}` }));
      // A convener's own label is theirs.
      expect(meeting!.summary).toBe('Réunion e-meeting / اجتماع');
      expect(meeting!.categories).toEqual([t('calendar.kind.MEETING')]);
    }
  });
});

describe('the Member State consultation results in the group’s language', () => {
  it('writes the results table’s headings, outcomes and fixed sentences in French (.csv) and Arabic (.docx, right to left)', async () => {
    const s = await consultationScene(app, { threshold: 70 });
    await app.prisma.consultation.update({ where: { id: s.consultationId }, data: { deadline: new Date(Date.now() - 1000) } });
    await app.prisma.group.update({ where: { id: s.cast.group.id }, data: { languages: ['fr'] } });
    const csv = await download(`${s.base}/results.csv`, s.convener);
    expect(csv.headers['content-language']).toBe('fr');
    const records = parse(csv.rawPayload.toString('utf8').replace(/^\uFEFF/, '')) as string[][];
    expect(records[0]).toEqual(['Projet', 'Titre', 'Réponses', 'Favorables', 'Défavorables', 'Réponses favorables', 'Seuil', 'Résultat']);
    expect(records[1]!.slice(2)).toEqual(['0', '0', '0', '', '70 %', 'Aucune réponse']);

    await app.prisma.group.update({ where: { id: s.cast.group.id }, data: { languages: ['ar', 'fr'] } });
    const docx = await download(`${s.base}/results.docx`, s.convener);
    const word = await runPython<DocxRead>(READ_DOCX, docx.rawPayload);
    expect(word.tables[0]!.rows[0]).toEqual(['المشروع', 'الردود', 'مؤيدة', 'غير مؤيدة', 'الردود المؤيدة', 'النتيجة']);
    expect(word.tables[0]!.rows[1]!.at(-1)).toBe('لا ردود');
    expect(word.tables[0]!.bidiVisual).toBe(true);
    const summary = word.paragraphs.find((p) => p.text.startsWith('الموعد النهائي:'));
    expect(summary?.bidi).toBe(true);
    expect(summary?.text).toContain('دُعيت إدارتان'); // two Administrations: Arabic's dual
    expect(word.paragraphs.map((p) => p.text)).toContain('لم تقدم أي إدارة أسبابًا أو تعليقات مرفقة.');
  });
});

describe('the open-consultation responses export in the group’s language', () => {
  it('heads the responses CSV in French', async () => {
    const { scene, convener } = await sceneIn(['fr']);
    const csv = await download(`${scene.base}/periods/${scene.period.id}/responses.csv`, convener);
    expect(csv.headers['content-language']).toBe('fr');
    const records = parse(csv.rawPayload.toString('utf8').replace(/^\uFEFF/, '')) as string[][];
    expect(records[0]!.slice(0, 5)).toEqual(['Répondant', 'Origine', 'Nom', 'Organisation', 'Catégorie de parties prenantes']);
  });
});
