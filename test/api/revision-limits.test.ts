// The .docx limits, tightened for this file's app: file size, zip bomb, conversion time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, signIn } from '../helpers/factories.ts';
import { postDocument } from '../helpers/documents.ts';
import { multipart } from '../helpers/multipart.ts';
import { buildSampleDocx, buildZip, MINIMAL_DOCUMENT_XML, understateEntrySize } from '../unit/revisions/docx-fixture.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ limits: { docxImport: { maxBytes: 64 * 1024, maxEntries: 50, maxUncompressedBytes: 1024 * 1024, timeoutMs: 1 } } });
});
afterAll(async () => {
  await app.close();
});

async function uploadAs(content: Buffer) {
  const cast = await createCastedGroup(app);
  const convener = await signIn(app, cast.convener.email);
  const doc = await postDocument(app, cast.group.slug, convener);
  const { payload, headers } = multipart({ label: 'Initial baseline' }, { name: 'file', filename: 'draft.docx', content });
  const res = await app.inject({
    method: 'POST',
    url: `/api/groups/${cast.group.slug}/documents/${doc.id}/revisions`,
    headers: { ...convener.headers, ...headers },
    payload,
  });
  expect(await app.prisma.revision.count({ where: { documentId: doc.id } })).toBe(0);
  return res;
}

describe('.docx limits (nothing stored)', () => {
  it('refuses a file over the size limit with 413', async () => {
    const res = await uploadAs(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(70 * 1024)]));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'file_too_large', message: 'The file is larger than 65536 bytes.' });
  });

  it('refuses a zip bomb that understates its size with 413', async () => {
    const zip = await buildZip({ 'word/document.xml': MINIMAL_DOCUMENT_XML, 'word/big.xml': 'a'.repeat(3 * 1024 * 1024) });
    const res = await uploadAs(understateEntrySize(zip, 'word/big.xml', 10));
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('docx_too_large_uncompressed');
  });

  it('stops a conversion that runs past its time limit with 422', async () => {
    const res = await uploadAs(await buildSampleDocx());
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('docx_conversion_timeout');
  });
});
