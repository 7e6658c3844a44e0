// A revision that quotes tags (security standards do) keeps every clause and word through the
// preview and the post, and the editor is told, before posting and in the revision's notes, what
// was shown as text or dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { sessionFor } from '../helpers/dispositions.ts';
import { createCastedGroup } from '../helpers/factories.ts';
import { postDocument } from '../helpers/documents.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

const SOURCE = [
  '# 1 Scope',
  'Pages must never echo a <script> element or an unclosed <textarea back to the browser.',
  '<style>',
  'Unclosed block of words.',
  '# 2 References',
  'The <iframe>sandbox</iframe> attribute. ![Threat model](model.png)',
  '## 2.1 Normative',
  'RFC 6454.',
  '# 3 Terms',
  'See [the annex](#annex).',
].join('\n\n');

describe('a revision that mentions tags', () => {
  it('previews every clause with what was changed, and posts them with the same as notes', async () => {
    const cast = await createCastedGroup(app);
    const editor = await sessionFor(app, cast.editor);
    const doc = await postDocument(app, cast.group.slug, editor);
    const base = `/api/groups/${cast.group.slug}/documents/${doc.id}`;

    const preview = await app.inject({
      method: 'POST',
      url: `${base}/revisions/preview`,
      headers: editor.headers,
      payload: { label: 'Draft', source: SOURCE },
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const shown = preview.json();
    expect(shown.clauses.map((c: { number: string }) => c.number)).toEqual(['1', '2', '2.1', '3']);
    expect(shown.clauses[0].html).toBe(
      '<p>Pages must never echo a &lt;script&gt; element or an unclosed &lt;textarea back to the browser.</p>\n<p>&lt;style&gt;</p>\n<p>Unclosed block of words.</p>',
    );
    expect(shown.clauses[1].html).toContain('The &lt;iframe&gt;sandbox&lt;/iframe&gt; attribute. Threat model');
    expect(shown.changes).toEqual([
      { kind: 'markup_as_text', clause: { number: '1', heading: 'Scope' }, count: 2, examples: ['<script>', '<style>'] },
      { kind: 'markup_as_text', clause: { number: '2', heading: 'References' }, count: 2, examples: ['<iframe>'] },
      { kind: 'image_dropped', clause: { number: '2', heading: 'References' }, count: 1, examples: ['Threat model'] },
      { kind: 'link_removed', clause: { number: '3', heading: 'Terms' }, count: 1, examples: ['#annex'] },
    ]);

    const posted = await app.inject({ method: 'POST', url: `${base}/revisions`, headers: editor.headers, payload: { label: 'Draft', source: SOURCE } });
    expect(posted.statusCode, posted.body).toBe(201);
    expect(posted.json().clauses.map((c: { html: string }) => c.html)).toEqual(shown.clauses.map((c: { html: string }) => c.html));
    expect(posted.json().notes).toEqual([
      'Clause 1: 2 HTML tags were shown as text (<script>, <style>).',
      'Clause 2: 2 HTML tags were shown as text (<iframe>).',
      'Clause 2: 1 image was dropped, keeping the description (Threat model); attach figures separately.',
      'Clause 3: 1 link was kept as words only, as only http, https and mailto links are kept (#annex).',
    ]);
    const stored = await app.prisma.clause.findMany({ where: { revision: { documentId: doc.id } }, orderBy: { position: 'asc' } });
    expect(stored.map((c) => c.text)).toEqual([
      'Pages must never echo a <script> element or an unclosed <textarea back to the browser. <style> Unclosed block of words.',
      'The <iframe>sandbox</iframe> attribute. Threat model',
      'RFC 6454.',
      'See the annex.',
    ]);
  });
});
