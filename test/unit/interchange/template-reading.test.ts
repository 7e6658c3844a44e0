// Reading the comment template: the header variants of the ISO/IEC/ITU template, clause numbers
// as people write them, the observations read as dispositions, and the defences of the reader
// (the time limit of its worker thread, no external entity resolved).
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { clauseNumberOf, proposedDisposition } from '../../../server/modules/interchange/import/plan-template-import.ts';
import { readTemplateTables } from '../../../server/modules/interchange/import/read-template.ts';
import { recogniseHeader } from '../../../server/modules/interchange/import/template-columns.ts';
import { ISO_HEADERS, templateXlsx } from '../../helpers/comment-template.ts';

const LIMITS = { maxBytes: 10 * 1024 * 1024, maxEntries: 2000, maxUncompressedBytes: 50 * 1024 * 1024, timeoutMs: 10_000, maxRows: 5000 };

describe('the template columns', () => {
  it('recognises the ISO/IEC headers with their footnote marks, and the usual local variants', () => {
    expect(recogniseHeader(ISO_HEADERS).columns).toEqual({
      memberBody: 0,
      line: 1,
      clause: 2,
      paragraph: 3,
      type: 4,
      comment: 5,
      proposedChange: 6,
      observations: 7,
    });
    expect(
      recogniseHeader([
        'No.',
        'Organisation / commenter',
        'Clause',
        'Paragraph / Figure / Table',
        'Type (ge/te/ed)',
        'Comment',
        'Proposed change',
        'Observations / disposition and rationale',
      ]).columns,
    ).toEqual({
      memberBody: 1,
      clause: 2,
      paragraph: 3,
      type: 4,
      comment: 5,
      proposedChange: 6,
      observations: 7,
    });
    expect(recogniseHeader(['Member body', 'Clause No.', 'Comments', 'Commenter response']).columns).toEqual({ memberBody: 0, clause: 1, comment: 2 });
  });

  it('reads clause numbers as people write them', () => {
    expect(['7.1', '7.1.', 'Clause 7.1', '§ 7.1 Security threats', 'Subclause 7.1', '7.1/Table 2'].map(clauseNumberOf)).toEqual(Array(6).fill('7.1'));
    expect(['annex a', 'Annex A – Threats', 'A.2'].map(clauseNumberOf)).toEqual(['Annex A', 'Annex A', 'A.2']);
    expect(['', 'General', 'all', '—', 'whole document'].map(clauseNumberOf)).toEqual(Array(5).fill('general'));
    expect(clauseNumberOf('the scope section')).toBeNull();
  });

  it('reads the observations as a disposition only when they start with one and give a reason where one is due', () => {
    const notes: string[] = [];
    expect(proposedDisposition('Accepted in principle. See the new text.', notes)).toEqual({
      code: 'ACCEPTED_WITH_MODIFICATION',
      rationale: 'See the new text.',
    });
    expect(proposedDisposition('Not accepted: out of scope', notes)).toEqual({ code: 'REJECTED', rationale: 'out of scope' });
    expect(proposedDisposition('Accepted', notes)).toEqual({ code: 'ACCEPTED', rationale: '' });
    expect(proposedDisposition('Noted', notes)).toBeNull();
    expect(proposedDisposition('To be discussed at the meeting', notes)).toBeNull();
    expect(notes).toHaveLength(2);
  });
});

describe('the reader', () => {
  it('stops a read that takes longer than its time limit', async () => {
    const file = await templateXlsx([{ memberBody: 'GB', clause: '7.1', type: 'te', comment: 'x' }]);
    await expect(readTemplateTables(file, { ...LIMITS, timeoutMs: 1 })).rejects.toMatchObject({ code: 'template_read_timeout', status: 422 });
  });

  it('resolves no external entity in an Excel file (its sharedStrings naming /etc/hostname)', async () => {
    const secret = readFileSync('/etc/hostname', 'utf8').trim();
    const doctype = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>';
    const zip = await JSZip.loadAsync(await templateXlsx([{ memberBody: 'GB', clause: '7.1', type: 'te', comment: 'PLACEHOLDER' }]));
    const name = Object.keys(zip.files).find((n) => n === 'xl/sharedStrings.xml') ?? 'xl/worksheets/sheet1.xml';
    const xml = await zip.file(name)!.async('string');
    zip.file(name, xml.replace(/^(<\?xml[^>]*\?>)?/, `$1${doctype}`).replace('PLACEHOLDER', '&e;'));
    const crafted = await zip.generateAsync({ type: 'nodebuffer' });
    const outcome = await readTemplateTables(crafted, LIMITS).then(
      (read) => JSON.stringify(read.tables),
      (error: { code?: string }) => error.code ?? 'thrown',
    );
    expect(outcome).not.toContain(secret);
  });
});
