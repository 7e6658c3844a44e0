// In real Chromium: the disposition under each comment of the document view (what the members
// may see, live, with the commenter's agree/object in place), the comment-period screen (a
// convener opens a period in the group's zone, extends it with a reason, closes it; nobody else
// sees the controls), an API error shown in French beside the field that caused it, and the
// period screen right to left in Arabic.
// axe-core on each screen changed or added; screenshots to test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, screenshot, startE2E, type E2E } from './lib/harness.ts';
import { call, createAdjudicationGroup } from './lib/adjudication-fixtures.ts';
import { createLiveGroup } from './lib/fixtures.ts';
import { inHours, postDocument, postMarkdownRevision } from '../helpers/documents.ts';
import { sessionFor } from '../helpers/dispositions.ts';
import { fromZonedInput, toZonedInput } from '../../client/src/lib/zoned-time.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 90_000);
afterAll(async () => {
  await e2e?.close();
});

const eventually = <T>(probe: () => T | Promise<T>, timeout = 10_000) => expect.poll(probe, { timeout });
const commentBy = (page: Page, id: string) => page.locator(`[data-comment-id="${id}"]`).locator('xpath=..');
const dispositionOf = (page: Page, id: string) => commentBy(page, id).getByTestId('comment-disposition');
const live = (page: Page) => eventually(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('live');

describe('the disposition under each comment', () => {
  test('members see proposed and final dispositions (never a draft); the commenter objects in place and the others see it live', async () => {
    const g = await createAdjudicationGroup(e2e.app);
    const [c1, c2, c3, c4] = g.comments as [{ id: string }, { id: string }, { id: string }, { id: string }];
    const decide = (id: string, body: object, session = g.convenerSession) =>
      call(e2e.app, session, 'PUT', `${g.api}/comments/${id}/disposition`, { expectedVersion: 0, ...body });
    // c1 (Participant, clause 1): proposed with a response deadline; c2 (Second, clause 2): final;
    // c3 (Participant, 7.1): an editor's draft nobody but the adjudicators may see.
    await decide(c1.id, { disposition: 'accepted_with_modification', rationale: 'Name the use cases in an annex instead.', respondBy: inHours(48) });
    await decide(c2.id, { disposition: 'rejected', rationale: 'Y.2060 is already cited in clause 2.' });
    await call(e2e.app, g.convenerSession, 'POST', `${g.api}/comments/${c2.id}/disposition/finalise`, { expectedVersion: 1 });
    await decide(c3.id, { disposition: 'noted', rationale: 'A draft for the conveners only.' }, await sessionFor(e2e.app, g.editor));

    const [alice, bob] = await Promise.all([e2e.newPage({ as: g.participant.email }), e2e.newPage({ as: g.second.email, timezoneId: 'Asia/Tokyo' })]);
    await Promise.all([alice.goto(g.url), bob.goto(g.url)]);
    await Promise.all([live(alice), live(bob)]);

    await eventually(() => dispositionOf(alice, c1.id).count()).toBe(1);
    const proposed = dispositionOf(alice, c1.id);
    expect(await proposed.getAttribute('data-status')).toBe('proposed');
    expect(await proposed.getAttribute('data-consultation')).toBe('awaiting');
    const proposedText = await proposed.textContent();
    expect(proposedText).toContain('Accepted with modification');
    expect(proposedText).toContain('Proposed');
    expect(proposedText).toContain('Name the use cases in an annex instead.');
    expect(proposedText).toMatch(/Awaiting the commenter until .*UTC/);
    const final = dispositionOf(bob, c2.id);
    await eventually(() => final.getAttribute('data-status')).toBe('final');
    expect(await final.textContent()).toContain('Rejected');
    expect(await final.textContent()).toContain('Y.2060 is already cited in clause 2.');
    expect(await dispositionOf(alice, c3.id).count(), "an editor's draft is not shown").toBe(0);
    expect(await alice.content()).not.toContain('A draft for the conveners only.');

    // Only the commenter may answer, and only while the proposal awaits them.
    expect(await dispositionOf(bob, c1.id).getByRole('button', { name: 'Agree or object' }).count()).toBe(0);
    expect(await dispositionOf(bob, c2.id).getByRole('button', { name: 'Agree or object' }).count()).toBe(0);
    await dispositionOf(alice, c1.id).getByRole('button', { name: 'Agree or object' }).click();
    const form = dispositionOf(alice, c1.id).getByTestId('response-form');
    await form.getByLabel('I object').check();
    await form.getByRole('button', { name: 'Send my answer' }).click();
    expect(await form.locator('.field-error').textContent()).toBe('Say why you object, so the conveners can consider it.');
    expect(await axeViolations(alice), 'document view with dispositions and an answer form').toEqual([]);
    await screenshot(alice, 'document-view-dispositions');
    await form.getByLabel('Your reasons (optional when you agree)').fill('The use cases belong in the scope itself.');
    await form.getByRole('button', { name: 'Send my answer' }).click();
    await eventually(() => dispositionOf(alice, c1.id).getAttribute('data-consultation')).toBe('objected');
    expect(await dispositionOf(alice, c1.id).textContent()).toContain('The use cases belong in the scope itself.');
    expect(await dispositionOf(alice, c1.id).getByRole('button', { name: 'Agree or object' }).count()).toBe(0);
    await eventually(() => alice.getByTestId('announcer').textContent()).toContain('Your answer on');

    // Bob sees the objection live, and a new proposal on his own comment arrives with his answer button.
    await eventually(() => dispositionOf(bob, c1.id).getAttribute('data-consultation')).toBe('objected');
    await decide(c4.id, { disposition: 'accepted' });
    await eventually(() => dispositionOf(bob, c4.id).getByRole('button', { name: 'Agree or object' }).count()).toBe(1);
    await eventually(() => dispositionOf(alice, c4.id).getAttribute('data-status')).toBe('proposed');
    expect(await dispositionOf(alice, c4.id).getByRole('button', { name: 'Agree or object' }).count()).toBe(0);
  });
});

/** A live group (Europe/Zurich) with the draft posted as revision 1 and no comment period yet. */
async function createGroupWithoutPeriod() {
  const cast = await createLiveGroup(e2e.app);
  const convenerSession = await sessionFor(e2e.app, cast.convener.email);
  const document = await postDocument(e2e.app, cast.group.slug, convenerSession);
  await postMarkdownRevision(e2e.app, cast.group.slug, document.id, convenerSession);
  return { ...cast, convenerSession, document, url: `/groups/${cast.group.slug}/documents/${document.id}` };
}

describe('the comment-period screen', () => {
  test("a convener opens a period in the group's zone, extends it with a reason, closes it and reopens it; a participant sees only the history", async () => {
    const g = await createGroupWithoutPeriod();
    const zone = g.group.timeZone;
    expect(zone).toBe('Europe/Zurich');
    // The convener sits in New York: the deadline is typed as Zurich reads it, shown back in New York time with UTC.
    const convener = await e2e.newPage({ as: g.convener.email, timezoneId: 'America/New_York' });
    await convener.goto(g.url);
    await convener.getByRole('link', { name: 'Comment periods: open, extend, close' }).click();
    await convener.getByTestId('no-periods').waitFor();
    expect(await convener.getByRole('heading', { level: 1 }).textContent()).toBe('Comment periods · Report on security and privacy aspects of IoT');

    const deadlineWall = `${toZonedInput(Date.now() + 3 * 86_400_000, zone).slice(0, 10)}T23:59`;
    const deadline = fromZonedInput(deadlineWall, zone)!;
    const open = convener.getByTestId('open-period-form');
    expect(await open.getByLabel('Comments open').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    await open.getByLabel('Deadline: comments close').fill(deadlineWall);
    expect(await open.getByTestId('closesAt-preview').textContent()).toMatch(/That is .*(GMT-[45]|EST|EDT).*\(.*UTC\)/);
    expect(await axeViolations(convener), 'comment-period screen (convener)').toEqual([]);
    await open.getByRole('button', { name: 'Open the comment period' }).click();
    const period = convener.getByTestId('period');
    await eventually(() => period.getAttribute('data-phase')).toBe('open');
    const periods = await call<{ periods: { closesAt: { iso: string } }[] }>(
      e2e.app,
      g.convenerSession,
      'GET',
      `/api/groups/${g.group.slug}/documents/${g.document.id}/periods`,
    );
    expect(periods.periods.map((p) => p.closesAt.iso)).toEqual([deadline]);
    await eventually(() => convener.getByTestId('announcer').textContent()).toContain('Comments are open on revision 1 until');

    // A participant reads the history, live, and never sees a control.
    const participant = await e2e.newPage({ as: g.participant.email });
    await participant.goto(g.url);
    await participant.getByRole('link', { name: 'Comment periods', exact: true }).click();
    await eventually(() => participant.getByTestId('period').getAttribute('data-phase')).toBe('open');
    expect(await participant.locator('form').count(), 'forms a participant sees on the period screen').toBe(0);
    expect(
      await participant
        .getByRole('button')
        .filter({ hasText: /Open the comment period|Extend|Close comments|Reopen/ })
        .count(),
    ).toBe(0);
    expect(await axeViolations(participant), 'comment-period screen (participant)').toEqual([]);

    // An extension the server refuses (not later than the deadline): its sentence beside the deadline, nothing typed lost.
    const extend = convener.getByTestId('extend-form');
    await extend.getByLabel('New deadline').fill(toZonedInput(Date.parse(deadline) - 3_600_000, zone));
    await extend.getByLabel('Reason').fill('The SG20 experts asked for one more week.');
    await extend.getByRole('button', { name: 'Extend the deadline' }).click();
    await eventually(() => extend.locator('.field-error').textContent()).toMatch(/^An extension must move the deadline later than/);
    expect(await extend.getByLabel('New deadline').getAttribute('aria-invalid')).toBe('true');
    expect(await extend.getByLabel('Reason').inputValue()).toBe('The SG20 experts asked for one more week.');
    const later = `${toZonedInput(Date.parse(deadline) + 7 * 86_400_000, zone).slice(0, 10)}T23:59`;
    await extend.getByLabel('New deadline').fill(later);
    await extend.getByRole('button', { name: 'Extend the deadline' }).click();
    await eventually(() => convener.getByTestId('extension').count()).toBe(1);
    expect(await convener.getByTestId('extension').textContent()).toContain('The SG20 experts asked for one more week.');
    await eventually(() => participant.getByTestId('extension').count()).toBe(1);
    await screenshot(convener, 'comment-periods');

    // Closing now, with a reason; the participant's page follows.
    convener.once('dialog', (dialog) => void dialog.accept());
    const close = convener.getByTestId('close-form');
    await close.getByLabel('Reason').fill('Agreed at the e-meeting of the correspondence group.');
    await close.getByRole('button', { name: 'Close comments now' }).click();
    await eventually(() => convener.getByTestId('period').getAttribute('data-phase')).toBe('closed');
    expect(await convener.getByTestId('close-form').count()).toBe(0);
    await eventually(() => participant.getByTestId('period').getAttribute('data-phase')).toBe('closed');

    // Reopened after its deadline, with a reason (folded away until asked for); the participant's page follows.
    expect(
      await participant
        .getByRole('button')
        .filter({ hasText: /Reopen/ })
        .count(),
    ).toBe(0);
    const toggle = convener.getByRole('button', { name: 'Reopen for comments…' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    const reopen = convener.getByTestId('reopen-form');
    expect(Date.parse(fromZonedInput(await reopen.getByLabel('New deadline').inputValue(), zone)!), 'the proposed new deadline').toBeGreaterThan(Date.now());
    expect(await axeViolations(convener), 'comment-period screen (reopening a closed period)').toEqual([]);
    await reopen.getByLabel('Reason').fill('A late contribution from the SG20 Rapporteur was accepted by both conveners.');
    await reopen.getByRole('button', { name: 'Reopen until the new deadline' }).click();
    await eventually(() => convener.getByTestId('period').getAttribute('data-phase')).toBe('open');
    await eventually(() => convener.getByTestId('announcer').textContent()).toContain('Comments are open again until');
    expect(await convener.getByTestId('reopen-form').count()).toBe(0);
    await eventually(() => participant.getByTestId('period').getAttribute('data-phase')).toBe('open');
    await eventually(() => participant.getByTestId('extension').count()).toBe(3);
    expect(await participant.getByTestId('extension').allTextContents()).toEqual([
      expect.stringMatching(/^Extended by .* to /),
      expect.stringMatching(/^Closed early by .* at /),
      expect.stringMatching(/^Reopened by .* until .*A late contribution from the SG20 Rapporteur/),
    ]);
    expect(e2e.problems).toEqual([]);
  });

  test("in French, the server's refusal stands beside the deadline field in French; in Arabic the screen reads right to left", async () => {
    const g = await createGroupWithoutPeriod();
    await call(e2e.app, g.convenerSession, 'POST', `/api/groups/${g.group.slug}/documents/${g.document.id}/periods`, {
      revision: 1,
      opensAt: inHours(-1),
      closesAt: inHours(72),
    });
    await e2e.app.prisma.user.update({ where: { id: g.convener.id }, data: { locale: 'fr' } });
    const page = await e2e.newPage({ as: g.convener.email, locale: 'fr-FR' });
    await page.goto(`${g.url}/periods`);
    const extend = page.getByTestId('extend-form');
    await extend.waitFor();
    await extend.getByLabel('Nouvelle échéance').fill(toZonedInput(Date.now() + 3_600_000, g.group.timeZone));
    await extend.getByLabel('Raison').fill('Plus de temps pour les experts du SG20.');
    await extend.getByRole('button', { name: 'Prolonger l’échéance' }).click();
    await eventually(() => extend.locator('.field-error').textContent()).toMatch(
      /^Une prolongation doit repousser l’échéance au-delà du .* UTC\) ; pour arrêter les commentaires maintenant, clôturez la période\.$/,
    );
    expect(await extend.getByLabel('Raison').inputValue()).toBe('Plus de temps pour les experts du SG20.');
    expect(await axeViolations(page), 'comment-period screen in French with an error').toEqual([]);

    // In Arabic, right to left, for a participant (the history only).
    await e2e.app.prisma.user.update({ where: { id: g.participant.id }, data: { locale: 'ar' } });
    const ar = await e2e.newPage({ as: g.participant.email, locale: 'ar-EG' });
    await ar.goto(`${g.url}/periods`);
    await ar.getByTestId('period').waitFor();
    expect(await ar.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await ar.getByRole('heading', { level: 1 }).textContent()).toContain('فترات التعليقات');
    expect(await axeViolations(ar), 'comment-period screen in Arabic').toEqual([]);
  });
});
