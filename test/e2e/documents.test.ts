// The document screens in real Chromium: two participants comment on the seed-like draft and one
// sees the other's comment arrive live while a half-typed comment of theirs stays intact; the
// composer closes when the deadline passes (by the clock, and by the server's 409 when the live
// channel is blocked); posting a revision with its preview; the compare screen; the digest
// archive and notification settings. axe-core on every screen; screenshots to test-results/.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, screenshot, startE2E, type E2E } from './lib/harness.ts';
import { createDocumentGroup } from './lib/fixtures.ts';
import { DRAFT_MD } from '../helpers/documents.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 90_000);
afterAll(async () => {
  await e2e?.close();
});

const clause = (page: Page, number: string) => page.locator(`section[data-clause="${number}"]`);
const announcer = (page: Page) => page.getByTestId('announcer');

/** Selects `phrase` inside a clause's text with the mouse's selection model, as a reader would, and presses "Comment on this". */
async function selectInClause(page: Page, number: string, phrase: string) {
  await clause(page, number)
    .getByTestId('clause-body')
    .evaluate((body, phrase) => {
      (document.activeElement as HTMLElement | null)?.blur(); // pressing the mouse in the text leaves the form
      const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent!.indexOf(phrase);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + phrase.length);
        getSelection()!.removeAllRanges();
        getSelection()!.addRange(range);
        body.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
        return;
      }
      throw new Error(`"${phrase}" is not in the clause`);
    }, phrase);
  await clause(page, number).getByRole('button', { name: 'Comment on this' }).click();
}

describe('the document view', () => {
  test("two participants comment; one sees the other's comment arrive live while a half-typed comment stays intact", async () => {
    const g = await createDocumentGroup(e2e.app);
    const [alice, bob] = await Promise.all([e2e.newPage({ as: g.participant.email }), e2e.newPage({ as: g.second.email, timezoneId: 'Asia/Tokyo' })]);
    await Promise.all([alice.goto(g.url), bob.goto(g.url)]);
    for (const page of [alice, bob]) await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('live');
    // Phase and deadline in the viewer's zone with UTC beside it.
    const status = await bob.getByTestId('period-status').textContent();
    expect(status).toContain('Comment period open'); // the phase's one label, as on the group home
    expect(status).toMatch(/GMT\+9.*UTC/);

    // Alice starts a technical comment on 7.1 and quotes by selecting words in the clause.
    await clause(alice, '7.1').getByRole('button', { name: 'Comment on clause 7.1' }).click();
    const aliceBody = clause(alice, '7.1').getByLabel('Comment', { exact: true });
    await aliceBody.fill('Physical capture deserves its own countermea');
    await selectInClause(alice, '7.1', 'captured physically');
    await expect.poll(() => clause(alice, '7.1').getByLabel('Quoted text').inputValue()).toBe('captured physically');
    await aliceBody.focus();

    // Bob posts an editorial comment on the same clause.
    await clause(bob, '7.1').getByRole('button', { name: 'Comment on clause 7.1' }).click();
    await clause(bob, '7.1').getByLabel('Editorial').check();
    await clause(bob, '7.1').getByLabel('Comment', { exact: true }).fill('Use "sensors and devices" consistently.');
    await clause(bob, '7.1').getByRole('button', { name: 'Post comment' }).click();
    await expect.poll(() => clause(bob, '7.1').getByTestId('comment').count()).toBe(1);

    // Alice sees it live, announced politely; her half-typed comment, quote and focus are untouched.
    await expect.poll(() => clause(alice, '7.1').getByTestId('comment').count(), { timeout: 5_000 }).toBe(1);
    expect(await clause(alice, '7.1').getByTestId('comment').textContent()).toContain('Use "sensors and devices" consistently.');
    await expect.poll(() => announcer(alice).textContent()).toBe('New comment by Second Participant on clause 7.1.');
    expect(await aliceBody.inputValue()).toBe('Physical capture deserves its own countermea');
    await expect.poll(() => clause(alice, '7.1').getByLabel('Quoted text').inputValue()).toBe('captured physically');
    expect(await aliceBody.evaluate((el) => el === document.activeElement)).toBe(true);
    await alice.bringToFront();
    await alice.keyboard.press('End');
    await alice.keyboard.type('sures.');
    expect(await aliceBody.inputValue()).toBe('Physical capture deserves its own countermeasures.');
    await screenshot(alice, 'document-view-half-typed');

    // The draft survives a reload (kept in localStorage per clause).
    await alice.reload();
    await expect
      .poll(() => clause(alice, '7.1').getByLabel('Comment', { exact: true }).inputValue())
      .toBe('Physical capture deserves its own countermeasures.');

    // A quote that is not in the clause: the server's 422 sentence next to the quote field, nothing lost.
    await clause(alice, '7.1').getByLabel('Quoted text').fill('words nobody wrote');
    await clause(alice, '7.1').getByRole('button', { name: 'Post comment' }).click();
    await expect.poll(() => clause(alice, '7.1').locator('.field-error').textContent()).toMatch(/does not occur in clause 7\.1/);
    expect(await clause(alice, '7.1').getByLabel('Comment', { exact: true }).inputValue()).toBe('Physical capture deserves its own countermeasures.');
    await clause(alice, '7.1').getByLabel('Quoted text').fill('captured physically');
    await clause(alice, '7.1').getByRole('button', { name: 'Post comment' }).click();
    await expect.poll(() => clause(alice, '7.1').getByTestId('comment').count()).toBe(2);
    await expect.poll(() => clause(bob, '7.1').getByTestId('comment').count()).toBe(2);
    expect(await clause(bob, '7.1').locator('.comment-quote').textContent()).toContain('captured physically');
    const drafts = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('convene.draft.')));
    expect(await drafts(bob), 'a posted comment leaves no draft behind').toEqual([]);
    expect(await drafts(alice)).toEqual([]);

    // Bob replies in Alice's thread; Alice edits her comment; both follow live.
    const aliceCommentId = await clause(bob, '7.1').getByTestId('comment').filter({ hasText: 'countermeasures' }).getAttribute('data-comment-id');
    const aliceComment = bob.locator(`[data-comment-id="${aliceCommentId}"]`);
    await clause(bob, '7.1').getByRole('button', { name: 'Reply' }).last().click();
    await clause(bob, '7.1').getByLabel('Your reply').fill('Agreed: see X.1362.');
    await clause(bob, '7.1').getByRole('button', { name: 'Send reply' }).click();
    await expect.poll(() => clause(alice, '7.1').locator('.reply-list [data-testid="comment"]').count()).toBe(1);
    await clause(alice, '7.1').getByRole('button', { name: 'Edit' }).click();
    await clause(alice, '7.1').locator('.edit-form').getByLabel('Comment', { exact: true }).fill('Physical capture needs tamper resistance.');
    await clause(alice, '7.1').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => aliceComment.textContent()).toContain('Physical capture needs tamper resistance.');
    expect(await aliceComment.textContent()).toContain('edited');
    expect(await clause(alice, '7.1').locator('h3').textContent()).toBe('2 comments');
    expect(await bob.locator('.toc').textContent()).toContain('2 comments');
    expect(await axeViolations(alice), 'document view').toEqual([]);
    await screenshot(bob, 'document-view');

    // The convener closes the period early: both composers close live, with the reason.
    await clause(bob, '7.2').getByRole('button', { name: 'Comment on clause 7.2' }).click();
    await clause(bob, '7.2').getByLabel('Comment', { exact: true }).fill('Unfinished thought');
    const closed = await e2e.app.inject({
      method: 'POST',
      url: `/api/groups/${g.group.slug}/documents/${g.document.id}/periods/${g.period.id}/close`,
      headers: g.convenerSession.headers,
      payload: { reason: 'Agreed at the e-meeting.' },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    await expect.poll(() => bob.getByTestId('period-status').getAttribute('data-state')).toBe('closed');
    expect(await clause(bob, '7.2').getByTestId('composer-closed').textContent()).toMatch(/Comments are closed: the deadline .* has passed/);
    expect(await clause(bob, '7.2').getByLabel('Comment', { exact: true }).isDisabled()).toBe(true);
    expect(await clause(bob, '7.2').getByLabel('Comment', { exact: true }).inputValue()).toBe('Unfinished thought');
    // Alice's page hears of the close on its own socket, not necessarily before Bob's.
    await expect.poll(() => clause(alice, '1').getByTestId('clause-closed').textContent(), { timeout: 5_000 }).toBe('Comments on clause 1 are closed.');
    expect(await clause(alice, '1').getByRole('button', { name: 'Comment on clause 1' }).count()).toBe(0);
    expect(await axeViolations(bob), 'document view, closed').toEqual([]);
    await screenshot(bob, 'document-view-closed');
    expect(e2e.problems).toEqual([]);
  });

  test('the composer closes by itself when the deadline passes', async () => {
    // The deadline is a minute ahead and the browser's clock is moved past it, so the test does
    // not depend on how fast a loaded machine signs in and renders.
    const g = await createDocumentGroup(e2e.app, new Date(Date.now() + 60_000).toISOString());
    const page = await e2e.newPage({ as: g.participant.email });
    await page.clock.install();
    await page.goto(g.url);
    await clause(page, '2').getByRole('button', { name: 'Comment on clause 2' }).click();
    await clause(page, '2').getByLabel('Comment', { exact: true }).fill('Typed before the deadline');
    expect(await page.getByTestId('period-status').getAttribute('data-state')).toBe('open');
    await page.clock.fastForward(65_000);
    await expect.poll(() => page.getByTestId('period-status').getAttribute('data-state'), { timeout: 8_000 }).toBe('closed');
    expect(await clause(page, '2').getByTestId('composer-closed').textContent()).toContain('Comments are closed');
    expect(await clause(page, '2').getByLabel('Comment', { exact: true }).inputValue()).toBe('Typed before the deadline');
  });

  test("with the live channel blocked it polls, and a comment after an early close gets the server's sentence beside the composer", async () => {
    const g = await createDocumentGroup(e2e.app);
    const page = await e2e.newPage({ as: g.participant.email });
    await page.routeWebSocket(/socket\.io/, (ws) => {
      void ws.close();
    });
    await page.route(/socket\.io/, (route) => route.abort());
    await page.goto(g.url);
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('polling');
    await clause(page, '1').getByRole('button', { name: 'Comment on clause 1' }).click();
    await clause(page, '1').getByLabel('Comment', { exact: true }).fill('Scope should name SG20.');
    await e2e.app.inject({
      method: 'POST',
      url: `/api/groups/${g.group.slug}/documents/${g.document.id}/periods/${g.period.id}/close`,
      headers: g.convenerSession.headers,
      payload: { reason: 'Closed early.' },
    });
    await clause(page, '1').getByRole('button', { name: 'Post comment' }).click();
    await expect.poll(() => clause(page, '1').getByTestId('composer-error').textContent()).toMatch(/closed/i);
    expect(await clause(page, '1').getByLabel('Comment', { exact: true }).inputValue()).toBe('Scope should name SG20.');
    await expect.poll(() => page.getByTestId('period-status').getAttribute('data-state')).toBe('closed');
    await screenshot(page, 'document-view-error');
  });
});

describe('revisions', () => {
  test('an editor posts a revision from pasted Markdown after its preview; compare shows a renumbered and a changed clause with an accessible word diff', async () => {
    const g = await createDocumentGroup(e2e.app);
    const page = await e2e.newPage({ as: g.editor.email });
    await page.goto(g.url);
    await page.getByRole('link', { name: 'Post a new revision' }).click();
    await page.getByLabel('Label').fill("Conveners' draft");
    const rev2 = DRAFT_MD.replace('describes the security framework', 'describes the security and privacy framework')
      .replace('## 7.2 Security threats for network\n\nEavesdropping on wireless links exposes data in transit.\n\n', '')
      .replace('## 7.3 Security threats for platform/services', '## 7.2 Security threats for platform/services')
      .concat('\n\n![diagram](https://example.test/x.png)');
    await page.getByLabel('Markdown', { exact: true }).fill(rev2);
    await page.getByRole('button', { name: 'Preview the clauses' }).click();
    const preview = page.getByTestId('revision-preview');
    await expect.poll(() => preview.locator('h2').textContent()).toBe('Preview: 5 clauses');
    // What the import changed is listed before posting: here, the image dropped from the last clause.
    expect(await page.getByTestId('revision-changes').locator('li').allTextContents()).toEqual(['Clause 7.2: 1 image dropped, its description kept: diagram']);
    expect(await axeViolations(page), 'post revision').toEqual([]);
    await screenshot(page, 'post-revision-preview');
    await page.getByRole('button', { name: 'Post this revision' }).click();
    await page.waitForURL(`**${g.url}/revisions/2`);
    await expect.poll(() => page.locator('.subtitle').textContent()).toContain("Revision 2: Conveners' draft");

    await page.getByRole('link', { name: 'Compare with the previous revision' }).click();
    const entries = page.getByTestId('compare-entry');
    await entries.first().waitFor();
    const renumbered = entries.filter({ has: page.locator('.badge', { hasText: 'Renumbered' }) });
    expect(await renumbered.textContent()).toContain('Was 7.3, now 7.2.');
    const changed = entries.filter({ has: page.locator('.badge', { hasText: 'Changed' }) }).first();
    expect(await changed.locator('ins').textContent()).toBe('[inserted: and privacy ]');
    expect(await page.locator('[data-status="removed"]').textContent()).toContain('Security threats for network');
    expect(
      await page
        .locator('ins')
        .first()
        .evaluate((el) => getComputedStyle(el).textDecorationLine),
    ).toBe('underline');
    expect(await axeViolations(page), 'compare').toEqual([]);
    await screenshot(page, 'compare');
  });
});

describe('digests and notifications', () => {
  test('the archive shows a digest in a sandboxed frame with delivery status for conveners; members toggle their subscription and set notifications', async () => {
    const g = await createDocumentGroup(e2e.app);
    const digest = await e2e.app.prisma.digest.create({
      data: {
        groupId: g.group.id,
        key: `test:${g.group.id}`,
        kind: 'DRAFT_POSTED',
        subject: `[${g.group.acronym}] Draft posted: comments invited`,
        html: '<html><body><h1>Draft posted</h1><p>Comments until 25 April.</p></body></html>',
        text: 'Draft posted. Comments until 25 April.',
        props: {},
        deliveries: { create: [{ recipient: 'list@lists.example.test', messageId: `<d-${g.group.id}@x>`, state: 'SENT', attempts: 1, sentAt: new Date() }] },
      },
    });
    const convener = await e2e.newPage({ as: g.convener.email });
    await convener.goto(`/groups/${g.group.slug}`);
    await convener.getByRole('link', { name: 'Digest archive' }).click();
    await expect.poll(() => convener.getByTestId('delivery-counts').textContent()).toContain('1 of 1 sent');
    expect(await axeViolations(convener), 'digest archive').toEqual([]);
    await convener.getByRole('link', { name: digest.subject }).click();
    await expect.poll(() => convener.getByTestId('digest-text').textContent()).toBe('Draft posted. Comments until 25 April.');
    expect(await convener.locator('iframe.mail-frame').getAttribute('sandbox')).toBe('');
    await expect.poll(() => convener.frameLocator('iframe.mail-frame').locator('h1').textContent()).toBe('Draft posted');
    expect(await convener.getByTestId('deliveries').textContent()).toContain('list@lists.example.test');
    expect(await axeViolations(convener), 'digest').toEqual([]);
    await screenshot(convener, 'digest');

    const member = await e2e.newPage({ as: g.participant.email });
    await member.goto(`/groups/${g.group.slug}/digests`);
    await member.getByRole('link', { name: digest.subject }).waitFor();
    expect(await member.getByTestId('delivery-counts').count(), 'delivery status is for conveners').toBe(0);
    await member.getByLabel('Also send me each digest by e-mail').check();
    await expect.poll(() => announcer(member).textContent()).toBe('You will receive each digest by e-mail.');
    const sub = await e2e.app.prisma.digestSubscription.findFirst({ where: { groupId: g.group.id, email: g.participant.email } });
    expect(sub?.state).toBe('CONFIRMED');
    await member.getByRole('link', { name: 'My notification settings' }).click();
    const replies = member.getByRole('group', { name: 'Someone replied in a thread I am in' });
    await replies.getByLabel('Immediately').check();
    await member.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => announcer(member).textContent()).toBe('Your notification settings were saved.');
    const saved = await e2e.app.inject({
      method: 'GET',
      url: '/api/me/notification-settings',
      headers: (await import('../helpers/factories.ts').then((f) => f.sessionFor(e2e.app, g.participant.email))).headers,
    });
    expect(saved.json()).toMatchObject({ thread_reply: 'immediately' });
    expect(await axeViolations(member), 'notification settings').toEqual([]);
    await screenshot(member, 'notification-settings');
    expect(e2e.problems).toEqual([]);
  });
});
