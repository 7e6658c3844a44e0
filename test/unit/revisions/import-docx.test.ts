import { beforeAll, describe, expect, it } from 'vitest';
import { importDocx } from '../../../server/modules/revisions/lib/import-docx.ts';
import type { ImportResult } from '../../../server/modules/revisions/lib/clause.ts';
import { buildSampleDocx, buildZip, MINIMAL_DOCUMENT_XML, understateEntrySize } from './docx-fixture.ts';
import { expectAppError, expectSafeHtml } from './helpers.ts';

const MiB = 1024 * 1024;

describe('importDocx on a real Word document', () => {
  let docx: Buffer;
  let result: ImportResult;
  const clause = (number: string) => {
    const found = result.clauses.find((c) => c.number === number);
    if (!found) throw new Error(`no clause ${number}`);
    return found;
  };

  beforeAll(async () => {
    docx = await buildSampleDocx();
    result = await importDocx(docx);
  });

  it('splits at Heading 1–3, reading written numbers and computing missing ones', () => {
    expect(result.clauses.map((c) => [c.number, c.heading])).toEqual([
      ['', 'Security framework for Internet of Things'],
      ['1', 'Scope'],
      ['2', 'Threats'],
      ['2.1', 'Sensor threats'],
      ['6.3', 'Capabilities'],
      ['6.3.1', 'Figures and links'],
    ]);
  });

  it('uses the Title paragraph to name the front matter', () => {
    expect(clause('')).toMatchObject({ html: '<p>Draft Recommendation ITU-T X.iotsec-2</p>', text: 'Draft Recommendation ITU-T X.iotsec-2' });
  });

  it('keeps bold and italic', () => {
    expect(clause('1').html).toContain('<strong>security framework</strong>');
    expect(clause('1').html).toContain('<em>Internet of Things</em>');
    expect(clause('1').text).toContain('This Recommendation describes the security framework for Internet of Things.');
  });

  it('keeps numbered and bulleted lists', () => {
    expect(clause('2').html).toContain('<ol><li>Device tampering</li><li>Eavesdropping</li></ol>');
    expect(clause('2.1').html).toBe('<ul><li>Physical capture of the node</li><li>Battery exhaustion</li></ul>');
  });

  it('keeps tables', () => {
    expect(clause('6.3').html).toMatch(/^<table><tr><td><p><strong>Threat<\/strong><\/p><\/td>.*<td><p>Link encryption<\/p><\/td><\/tr><\/table>$/);
    expect(clause('6.3').text).toBe('Threat Capability Eavesdropping Link encryption');
  });

  it('drops images and says where', () => {
    expect(result.clauses.some((c) => c.html.includes('<img'))).toBe(false);
    expect(result.notes).toContain('Clause 6.3.1: 1 image was dropped; attach figures separately.');
  });

  it('keeps the https link and removes the javascript: link, keeping its words', () => {
    expect(clause('6.3.1').html).toBe('<p>See <a href="https://www.itu.int/rec/T-REC-Y.2060" rel="noopener noreferrer nofollow">Y.2060</a> and click me.</p>');
    for (const c of result.clauses) {
      expect(c.html).not.toMatch(/javascript/i);
      expectSafeHtml(c.html);
    }
  });

  it('passes converter warnings worth reading on as notes', () => {
    expect(result.notes).toContainEqual(expect.stringMatching(/^Conversion: Unrecognised paragraph style: 'Note'/));
  });

  it('stops a conversion that exceeds the time limit', async () => {
    await expectAppError(() => importDocx(docx, { timeoutMs: 1 }), 'docx_conversion_timeout', 422);
  });
});

describe('importDocx refusals', () => {
  it('refuses a file over maxBytes before looking inside it', async () => {
    const error = await expectAppError(() => importDocx(Buffer.alloc(10 * MiB + 1)), 'file_too_large', 413);
    expect(error.message).toContain('10 MiB');
    await expectAppError(() => importDocx(Buffer.from('PK\x03\x04 and more'), { maxBytes: 8 }), 'file_too_large', 413);
  });

  it.each([
    ['a PDF', Buffer.from('%PDF-1.7\n1 0 obj\n')],
    ['an old binary .doc', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])],
    ['an empty file', Buffer.alloc(0)],
    ['an empty zip (end-of-directory only)', Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)])],
  ])('refuses %s as not a docx (415)', async (_name, buffer) => {
    await expectAppError(() => importDocx(buffer), 'not_a_docx', 415);
  });

  it('refuses a truncated zip as unreadable (422)', async () => {
    const zip = await buildZip({ 'word/document.xml': MINIMAL_DOCUMENT_XML });
    await expectAppError(() => importDocx(zip.subarray(0, zip.length - 30)), 'not_a_docx', 422);
  });

  it('refuses a zip bomb whose entries declare more than the limit', async () => {
    const bomb = await buildZip({ 'word/document.xml': MINIMAL_DOCUMENT_XML, 'word/media/zeros.bin': new Uint8Array(51 * MiB) });
    expect(bomb.length).toBeLessThan(MiB);
    await expectAppError(() => importDocx(bomb), 'docx_too_large_uncompressed', 413);
  });

  it('refuses a zip bomb that understates its sizes, while inflating', async () => {
    const honest = await buildZip({ 'word/document.xml': MINIMAL_DOCUMENT_XML, 'word/media/zeros.bin': new Uint8Array(4 * MiB) });
    const lying = understateEntrySize(honest, 'word/media/zeros.bin', 1000);
    expect(lying.equals(honest)).toBe(false);
    await expectAppError(() => importDocx(lying, { maxUncompressedBytes: MiB }), 'docx_too_large_uncompressed', 413);
  });

  it('refuses more entries than maxEntries', async () => {
    const files: Record<string, string> = { 'word/document.xml': MINIMAL_DOCUMENT_XML };
    for (let i = 0; i < 2000; i++) files[`word/parts/p${i}.xml`] = '<x/>';
    await expectAppError(async () => importDocx(await buildZip(files)), 'docx_too_large_uncompressed', 413);
    await expectAppError(
      async () => importDocx(await buildZip({ 'word/document.xml': MINIMAL_DOCUMENT_XML, 'a.xml': '', 'b.xml': '' }), { maxEntries: 2 }),
      'docx_too_large_uncompressed',
      413,
    );
  });

  it('refuses a zip without word/document.xml (422)', async () => {
    const zip = await buildZip({ '[Content_Types].xml': '<Types/>', 'content.xml': '<office:document/>' });
    await expectAppError(() => importDocx(zip), 'not_a_docx', 422);
  });

  it('reports a broken main part as a failed conversion', async () => {
    const zip = await buildZip({ 'word/document.xml': '<not-closed' });
    await expectAppError(() => importDocx(zip), 'docx_conversion_failed', 422);
  });

  it('converts a minimal hand-made docx without headings to front matter', async () => {
    const zip = await buildZip({ 'word/document.xml': MINIMAL_DOCUMENT_XML });
    const { clauses } = await importDocx(zip);
    expect(clauses).toEqual([{ number: '', heading: 'Front matter', html: '<p>Hello</p>', text: 'Hello' }]);
  });
});
