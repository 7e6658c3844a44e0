// In Chromium: the document view offers the revision as Word, and a convener imports the comment
// template: preview, map the row whose clause the revision lacks, import, and the comments appear,
// also live (no reload) in a participant's open document view and a convener's adjudication board.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { templateXlsx } from '../helpers/comment-template.ts';
import { createDocumentGroup } from './lib/fixtures.ts';
import { screenshot, startE2E, type E2E } from './lib/harness.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 90_000);
afterAll(async () => {
  await e2e?.close();
});

describe('Word and the comment template in the browser', () => {
  test('downloads the revision as .docx, then previews, maps and imports a template; open views show the imported comments live', async () => {
    const g = await createDocumentGroup(e2e.app);
    const page = await e2e.newPage({ as: g.convener.email });
    await page.goto(g.url);
    const docx = page.getByTestId('revision-docx');
    await docx.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), docx.click()]);
    expect(download.suggestedFilename()).toMatch(/-revision-1\.docx$/);

    await page.getByRole('link', { name: 'Import comments from the comment template' }).click();
    const file = await templateXlsx([
      { memberBody: 'GB', clause: '7.1', type: 'te', comment: 'Say which keys are extracted.', observations: 'Accepted' },
      { memberBody: 'GB', clause: '7.9', type: 'ed', comment: 'A clause the draft does not have.' },
    ]);
    await page
      .getByTestId('template-file')
      .setInputFiles({ name: 'comments.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file });
    await page.getByTestId('template-preview').click();
    const rows = page.getByTestId('template-rows').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);
    expect(await rows.nth(1).getAttribute('data-outcome')).toBe('unmatched');
    await expect.poll(() => page.getByTestId('template-import').isDisabled()).toBe(true);
    await page.locator('#map-6').selectOption('7.3');
    await expect.poll(() => rows.nth(1).getAttribute('data-outcome'), { timeout: 20_000 }).toBe('ready');
    await screenshot(page, 'comment-template-preview');
    // Open elsewhere while the import happens, following the document live.
    const reader = await e2e.newPage({ as: g.participant.email });
    await reader.goto(g.url);
    const board = await e2e.newPage({ as: g.convener.email });
    await board.goto(`${g.url}/adjudication`);
    for (const p of [reader, board]) await expect.poll(() => p.getByTestId('live-status').getAttribute('data-status'), { timeout: 20_000 }).toBe('live');
    expect(await board.getByTestId('pile-item').count()).toBe(0);
    await page.getByTestId('template-import').click();
    await page.waitForURL(/\/revisions\/1$/, { timeout: 20_000 });
    await expect.poll(() => page.getByText('A clause the draft does not have.').count(), { timeout: 20_000 }).toBe(1);
    expect(await e2e.app.prisma.comment.count({ where: { documentId: g.document.id } })).toBe(2);
    await expect.poll(() => reader.getByText('A clause the draft does not have.').count(), { timeout: 10_000 }).toBe(1);
    expect(await reader.getByText('Say which keys are extracted.').count()).toBe(1);
    await expect.poll(() => reader.getByTestId('announcer').textContent()).toBe('2 comments were imported from the comment template.');
    await expect.poll(() => board.getByTestId('pile-item').count(), { timeout: 10_000 }).toBe(2);
    expect(e2e.problems).toEqual([]);
  }, 90_000);
});
