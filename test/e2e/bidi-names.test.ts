// A name that mixes Arabic and Latin keeps its own direction wherever it sits in the interface:
// in real Chromium, each one is rendered inside its own <bdi> (member list, comment header, the
// "posted by" and "signed in as" sentences), in an English and in an Arabic interface.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { sessionFor } from '../helpers/factories.ts';
import { startE2E, screenshot, type E2E } from './lib/harness.ts';
import { createDocumentGroup } from './lib/fixtures.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 90_000);
afterAll(async () => {
  await e2e?.close();
});

const NAME = 'أحمد Ahmed 2';
const AFFILIATION = 'ITU-T (مصر) SG17';

/** The texts of the <bdi> elements under `selector`. */
const bdiTexts = (page: Page, selector: string) => page.locator(`${selector} bdi`).allTextContents();

describe('names inside interface text', () => {
  test('a mixed Arabic and Latin name is isolated in the member list, the comment header and sentences', async () => {
    const g = await createDocumentGroup(e2e.app);
    await e2e.app.prisma.user.update({ where: { id: g.second.id }, data: { name: NAME, affiliation: AFFILIATION } });
    await e2e.app.prisma.user.update({ where: { id: g.convener.id }, data: { name: NAME } });
    const second = await sessionFor(e2e.app, g.second.email);
    const posted = await e2e.app.inject({
      method: 'POST',
      url: `/api/groups/${g.group.slug}/documents/${g.document.id}/revisions/1/comments`,
      headers: second.headers,
      payload: { clauseId: g.clause('7.1').id, type: 'general', body: 'The scope should say which devices.' },
    });
    expect(posted.statusCode, posted.body).toBe(201);

    for (const locale of ['en', 'ar'] as const) {
      await e2e.app.prisma.user.update({ where: { id: g.convener.id }, data: { locale } });
      const convener = await e2e.newPage({ as: g.convener.email });
      // The members screen: name and affiliation cells.
      await convener.goto(`/groups/${g.group.slug}/members`);
      await expect.poll(() => convener.locator('html').getAttribute('dir')).toBe(locale === 'ar' ? 'rtl' : 'ltr');
      const row = convener.locator('tr', { hasText: AFFILIATION });
      await row.first().waitFor();
      expect(await row.locator('th bdi').allTextContents()).toEqual([NAME]);
      expect(await row.locator('td bdi').allTextContents()).toContain(AFFILIATION);
      // The header's "signed in as" sentence.
      expect(await bdiTexts(convener, '.account')).toEqual([NAME]);
      await screenshot(convener, `bidi-members-${locale}`);

      // The group home's member list.
      await convener.goto(`/groups/${g.group.slug}`);
      await convener.locator('.member-list').waitFor();
      expect(await bdiTexts(convener, '.member-list')).toEqual(expect.arrayContaining([NAME, AFFILIATION]));

      // The document: the comment's header, and the revision's "posted by" sentence.
      await convener.goto(g.url);
      const comment = convener.locator('[data-testid="comment"]').first();
      await comment.waitFor();
      expect(await comment.locator('.comment-meta bdi.comment-author').allTextContents()).toEqual([NAME]);
      expect(await comment.locator('.comment-meta bdi.comment-affiliation').allTextContents()).toEqual([AFFILIATION]);
      expect(await bdiTexts(convener, '.subtitle')).toEqual(expect.arrayContaining([g.group.name, NAME]));
      await screenshot(convener, `bidi-document-${locale}`);
      await convener.context().close();
    }
    expect(e2e.problems).toEqual([]);
  }, 90_000);
});
