// The group's phase in real Chromium: the group home and the document view show the phase the
// server derived (by the database clock) for the same group at the same instant, so they cannot
// disagree — whatever the planned dates say and whatever the viewer's own clock says.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, startE2E, type E2E } from './lib/harness.ts';
import { createDocumentGroup } from './lib/fixtures.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 90_000);
afterAll(async () => {
  await e2e?.close();
});

const MINUTE = 60_000;

/** The comment period closed half an hour ago, and the planned publication date passed ten minutes ago. */
async function adjudicatingGroup() {
  const g = await createDocumentGroup(e2e.app);
  const now = Date.now();
  const closed = new Date(now - 30 * MINUTE);
  await e2e.app.prisma.commentPeriod.update({ where: { id: g.period.id }, data: { closesAt: closed } });
  await e2e.app.prisma.milestone.update({ where: { id: g.period.closingMilestoneId! }, data: { at: closed } });
  await e2e.app.prisma.milestone.updateMany({ where: { groupId: g.group.id, kind: 'FINAL_REPORT_PUBLISHED' }, data: { at: new Date(now - 10 * MINUTE) } });
  return g;
}

async function phasesSeen(page: Page, g: Awaited<ReturnType<typeof createDocumentGroup>>) {
  await page.goto(`/groups/${g.group.slug}`);
  const home = page.getByTestId('current-phase');
  await home.waitFor();
  const onHome = await home.textContent();
  await page.goto(g.url);
  const onDocument = page.getByTestId('doc-phase');
  await onDocument.waitFor();
  return { onHome, onDocument: await onDocument.textContent() };
}

describe('the phase of the group', () => {
  test('the group home and the document view show the same phase, before and after the final report is published', async () => {
    const g = await adjudicatingGroup();
    const page = await e2e.newPage({ as: g.participant.email });
    // The planned publication date has passed, but nothing is published: the conveners adjudicate.
    expect(await phasesSeen(page, g)).toEqual({ onHome: 'Adjudication by the conveners', onDocument: 'Adjudication by the conveners' });

    const published = await e2e.app.inject({
      method: 'POST',
      url: `/api/groups/${g.group.slug}/documents/${g.document.id}/final-report`,
      headers: g.convenerSession.headers,
      payload: { revision: 1 },
    });
    expect(published.statusCode, published.body).toBe(201);
    expect(await phasesSeen(page, g)).toEqual({ onHome: 'Final report published', onDocument: 'Final report published' });
    expect(await axeViolations(page)).toEqual([]);
    expect(e2e.problems).toEqual([]);
  });

  test('a viewer whose own clock is days ahead still sees the phase the server says', async () => {
    const g = await createDocumentGroup(e2e.app);
    const page = await e2e.newPage({ as: g.participant.email });
    // Three days ahead: the planned "comments close" date (in 2 days) would have passed on this clock.
    await page.clock.install({ time: Date.now() + 3 * 86_400_000 });
    expect(await phasesSeen(page, g)).toEqual({ onHome: 'Comment period open', onDocument: 'Comment period open' });
    // The timeline and the countdown on the group home run on the server's clock too.
    await page.goto(`/groups/${g.group.slug}`);
    await page.getByTestId('countdown').waitFor();
    expect(await page.getByTestId('countdown').textContent()).toMatch(/^23 hr, \d+ min, \d+ sec$/); // the period closes in a day
    expect(await page.locator('.timeline-item[aria-current="step"] .timeline-kind').textContent()).toBe('Draft posted');
  });

  test('French and Arabic read the same phase from their catalogues', async () => {
    const g = await adjudicatingGroup();
    await e2e.app.prisma.user.update({ where: { id: g.participant.id }, data: { locale: 'fr' } });
    const page = await e2e.newPage({ as: g.participant.email, locale: 'fr-FR' });
    expect(await phasesSeen(page, g)).toEqual({
      onHome: 'Traitement des commentaires par les coordonnateurs',
      onDocument: 'Traitement des commentaires par les coordonnateurs',
    });
    await e2e.app.prisma.user.update({ where: { id: g.participant.id }, data: { locale: 'ar' } });
    const arabic = await e2e.newPage({ as: g.participant.email, locale: 'ar' });
    expect(await phasesSeen(arabic, g)).toEqual({ onHome: 'يبتّ المنسّقون في التعليقات', onDocument: 'يبتّ المنسّقون في التعليقات' });
  });
});
