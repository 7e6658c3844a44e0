// The adjudication screens in real Chromium: a convener works the pile with the keyboard only
// while the other convener's decisions arrive live (the half-typed rationale survives, the 409
// shows their disposition and reapplies ours); bulk decisions; the commenter's "awaiting my
// response" with its errors beside the form; the board in French and Arabic. axe-core on every
// screen; screenshots to test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, screenshot, startE2E, type E2E } from './lib/harness.ts';
import { call, createAdjudicationGroup } from './lib/adjudication-fixtures.ts';
import { createLiveGroup, createOperator } from './lib/fixtures.ts';
import { DRAFT_MD } from '../helpers/documents.ts';
import { createUser, sessionFor } from '../helpers/factories.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 90_000);
afterAll(async () => {
  await e2e?.close();
});

/** expect.poll with room for a loaded 2-core machine (the default gives up after 1 s). */
const eventually = <T>(probe: () => T | Promise<T>, timeout = 10_000) => expect.poll(probe, { timeout });
const item = (page: Page, n: number) => page.getByTestId('pile-item').nth(n - 1);
const focusedRowNumber = (page: Page) => page.evaluate(() => document.activeElement?.closest('[data-row]')?.querySelector('.pile-number')?.textContent ?? null);
/** Presses Tab until the focused element is the button named `name` (keyboard only, as a person would). */
async function tabTo(page: Page, name: string) {
  for (let i = 0; i < 20; i += 1) {
    if (await page.evaluate((n) => document.activeElement?.textContent === n, name)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached "${name}"`);
}
const announcer = (page: Page) => page.getByTestId('announcer');
const progress = (page: Page) => page.getByTestId('progress').textContent();

describe('the adjudication board', () => {
  test('a convener adjudicates with the keyboard only while the other convener decides live; a 409 shows theirs and reapplies mine', async () => {
    const g = await createAdjudicationGroup(e2e.app);
    const page = await e2e.newPage({ as: g.convener.email });
    await page.goto(g.url);
    await page.getByRole('link', { name: 'Adjudication board' }).click();
    await page.waitForURL(`**${g.boardUrl}`);
    await eventually(() => page.getByTestId('live-status').getAttribute('data-status'), 10_000).toBe('live');
    expect(await progress(page)).toBe('0 of 5 decided, 0 final');
    expect(await page.getByTestId('pile-item').count()).toBe(5);
    expect(await axeViolations(page), 'board').toEqual([]);

    // Keyboard only from here: into the list, j/k to move, d to open the decision form.
    await page.getByTestId('pile-item').first().locator('[data-row]').focus();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await eventually(() => focusedRowNumber(page)).toBe('#2');
    await page.keyboard.press('ArrowDown');
    await eventually(() => focusedRowNumber(page)).toBe('#3');
    expect(await page.getByTestId('detail').locator('h2').textContent()).toContain('Comment 3');
    await page.keyboard.press('d');
    await eventually(() => page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('accepted');
    await page.keyboard.press('ArrowDown'); // radios: moves and checks "accepted with modification"
    await page.keyboard.press('ArrowDown'); // "rejected"
    await page.keyboard.press('Tab');
    await page.keyboard.type('Tamper resistance is covered by X.1362');
    expect(await page.getByTestId('decision-form').getByText('Unsaved changes').count()).toBe(1);

    // Meanwhile the co-convener decides the same comment.
    const third = g.comments[2]!.id;
    await call(e2e.app, g.coConvenerSession, 'PUT', `${g.api}/comments/${third}/disposition`, {
      disposition: 'noted',
      rationale: 'Already in clause 8.',
      expectedVersion: 0,
    });
    await eventually(() => progress(page)).toBe('1 of 5 decided, 0 final');
    await eventually(() => announcer(page).textContent()).toBe('Comment 3 changed: Noted (no change needed), Proposed.');
    expect(await item(page, 3).textContent()).toContain('Changed by Co-Convener');
    expect(await page.getByTestId('changed-under-you').textContent()).toContain('Co-Convener changed this disposition while you were typing');
    // What I typed, and where I typed it, are untouched.
    const rationale = page.getByTestId('decision-form').getByLabel('Rationale');
    expect(await rationale.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('.');
    expect(await rationale.inputValue()).toBe('Tamper resistance is covered by X.1362.');
    await screenshot(page, 'board-changed-live');

    // Saving meets the 409: their disposition is shown, mine is reapplied on request.
    await tabTo(page, 'Propose to the commenter');
    await page.keyboard.press('Enter');
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('Noted (no change needed)');
    expect(await conflict.textContent()).toContain('Already in clause 8.');
    expect(await axeViolations(page), 'board with a conflict').toEqual([]);
    await screenshot(page, 'board-conflict');
    await conflict.getByRole('button', { name: 'Reapply my decision' }).focus();
    await page.keyboard.press('Enter');
    await eventually(() => announcer(page).textContent()).toBe('Comment 3: Rejected proposed to the commenter.');
    expect(await item(page, 3).getAttribute('data-status')).toBe('proposed');
    expect(await item(page, 3).textContent()).toContain('Rejected');
    const stored = await call<{ disposition: string; rationale: string; version: number }>(
      e2e.app,
      g.convenerSession,
      'GET',
      `${g.api}/comments/${third}/disposition`,
    );
    expect(stored).toMatchObject({ disposition: { disposition: 'rejected', rationale: 'Tamper resistance is covered by X.1362.', version: 2 } });

    // Escape back to the list, on to comment 4: accept it (no rationale needed), then finalise with f.
    await page.keyboard.press('Escape');
    await eventually(() => focusedRowNumber(page)).toBe('#3');
    await page.keyboard.press('j');
    await eventually(() => focusedRowNumber(page)).toBe('#4');
    await page.keyboard.press('Enter');
    await eventually(() => page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('accepted');
    await page.keyboard.press('Space'); // checks "accepted"
    await tabTo(page, 'Propose to the commenter');
    await page.keyboard.press('Enter');
    await eventually(() => announcer(page).textContent()).toBe('Comment 4: Accepted proposed to the commenter.');
    await eventually(() => item(page, 4).getAttribute('data-status')).toBe('proposed');
    await page.keyboard.press('Escape');
    await page.keyboard.press('f');
    // Its commenter has not answered yet: asked first, the keyboard goes on from the question.
    await page.getByTestId('finalise-one-confirm').waitFor();
    await tabTo(page, 'Finalise anyway');
    await page.keyboard.press('Enter');
    await eventually(() => announcer(page).textContent()).toBe('Comment 4 finalised.');
    await eventually(() => focusedRowNumber(page)).toBe('#4');
    await eventually(() => progress(page)).toBe('2 of 5 decided, 1 final');

    // Selection with x, a bulk decision on it (the rationale a rejection needs comes from the bar).
    await page.keyboard.press('k');
    await page.keyboard.press('k');
    await page.keyboard.press('x');
    await page.keyboard.press('k');
    await page.keyboard.press('x');
    expect(await page.getByTestId('selected-count').textContent()).toBe('2 comments selected');
    await page.getByLabel('Action').selectOption('decide');
    await page.getByTestId('bulk-bar').getByLabel('Disposition').selectOption('deferred');
    await page.getByTestId('bulk-bar').getByRole('button', { name: 'Apply to the selection' }).click();
    await eventually(() => page.getByTestId('bulk-bar').locator('.field-error, [role="alert"]').first().textContent()).toMatch(/rationale/i);
    await page.getByTestId('bulk-bar').getByLabel('Rationale').fill('Future work item for the next study period.');
    await page.getByTestId('bulk-bar').getByRole('button', { name: 'Apply to the selection' }).click();
    await eventually(() => announcer(page).textContent()).toBe('Applied to 2 comments.');
    await eventually(() => progress(page)).toBe('4 of 5 decided, 1 final');

    // Filters: proposed only, then by clause.
    await page.keyboard.press('/');
    await page.getByLabel('State', { exact: true }).selectOption('proposed');
    await eventually(() => page.getByTestId('pile-item').count()).toBe(3);
    expect(await progress(page)).toContain('Shown: 3 of 3 decided');
    await page.getByLabel('Clause', { exact: true }).selectOption('7.1');
    await eventually(() => page.getByTestId('pile-item').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await eventually(() => page.getByTestId('pile-item').count()).toBe(5);

    // The help dialog, by ?; Escape closes it and focus comes back.
    await page.getByTestId('pile-item').first().locator('[data-row]').focus();
    await page.keyboard.press('?');
    const help = page.getByTestId('help-dialog');
    await eventually(() => help.isVisible()).toBe(true);
    expect(await help.textContent()).toContain('Open the decision form of the comment');
    expect(await axeViolations(page), 'help dialog').toEqual([]);
    await screenshot(page, 'board-help');
    await page.keyboard.press('Escape');
    await eventually(() => help.isVisible()).toBe(false);
    await eventually(() => focusedRowNumber(page)).toBe('#1');
    await screenshot(page, 'board');
    expect(e2e.problems).toEqual([]);
  });

  test('the commenter answers in "awaiting my response": an objection needs reasons, a late answer gets the server\'s sentence beside the form', async () => {
    const g = await createAdjudicationGroup(e2e.app);
    const [first, , third] = g.comments;
    const deadline = new Date(Date.now() + 3_600_000).toISOString();
    await call(e2e.app, g.convenerSession, 'PUT', `${g.api}/comments/${first!.id}/disposition`, {
      disposition: 'accepted_with_modification',
      rationale: 'Scope names SG20 use cases in a note.',
      adoptedText: 'NOTE – SG20 use cases are in scope.',
      expectedVersion: 0,
    });
    await call(e2e.app, g.convenerSession, 'PUT', `${g.api}/comments/${third!.id}/disposition`, {
      disposition: 'rejected',
      rationale: 'Out of this clause.',
      respondBy: deadline,
      expectedVersion: 0,
    });
    const page = await e2e.newPage({ as: g.participant.email, timezoneId: 'Asia/Tokyo' });
    await page.goto('/');
    await page.getByRole('link', { name: 'Awaiting my response' }).click();
    const cards = page.getByTestId('awaiting-item');
    await eventually(() => cards.count()).toBe(2);
    const late = cards.filter({ hasText: 'Out of this clause.' });
    expect(await late.textContent()).toMatch(/GMT\+9.*UTC/);
    expect(await axeViolations(page), 'awaiting my response').toEqual([]);
    await screenshot(page, 'awaiting');

    // Objecting without reasons: said beside the field, nothing sent.
    const open = cards.filter({ hasText: 'Scope names SG20' });
    await open.getByRole('button', { name: 'Object' }).click();
    await open.getByRole('button', { name: 'Send the objection' }).click();
    expect(await open.locator('.field-error').textContent()).toBe('Say why you object, so the conveners can consider it.');
    await open.getByLabel('Your reasons').fill('A note is not normative: put it in the scope text.');
    await open.getByRole('button', { name: 'Send the objection' }).click();
    await eventually(() => announcer(page).textContent()).toBe('Your answer on Report on security and privacy aspects of IoT was recorded.');
    await eventually(() => cards.count()).toBe(1);

    // After the deadline: the server's 409 sentence in that row; the typed text stays. The server
    // judges the deadline by the database clock, so the deadline is moved past in the data rather
    // than waited for (the page still shows the answer form it loaded).
    await e2e.app.prisma.disposition.update({ where: { commentId: third!.id }, data: { respondBy: new Date(Date.now() - 60_000) } });
    await late.getByRole('button', { name: 'Object' }).click();
    await late.getByLabel('Your reasons').fill('Fine by me, with a note.');
    await late.getByRole('button', { name: 'Send the objection' }).click();
    await eventually(() => late.locator('[role="alert"]').textContent()).toMatch(/deadline .* has passed/);
    expect(await late.getByLabel('Your reasons').inputValue()).toBe('Fine by me, with a note.');
    await screenshot(page, 'awaiting-error');
    const pile = await call<{ items: { disposition: { response: { kind: string; text: string } | null } }[] }>(
      e2e.app,
      g.convenerSession,
      'GET',
      `${g.api}/dispositions?state=objected`,
    );
    expect(pile.items.map((i) => i.disposition.response)).toEqual([
      expect.objectContaining({ kind: 'object', text: 'A note is not normative: put it in the scope text.' }),
    ]);
    expect(e2e.problems).toEqual([]);
  });

  test('the board in French and in Arabic: translated, right to left in Arabic, no axe violation', async () => {
    const g = await createAdjudicationGroup(e2e.app);
    await call(e2e.app, g.convenerSession, 'PUT', `${g.api}/comments/${g.comments[0]!.id}/disposition`, {
      disposition: 'rejected',
      rationale: 'Hors du champ.',
      expectedVersion: 0,
    });
    await e2e.app.prisma.user.update({ where: { id: g.convener.id }, data: { locale: 'fr' } });
    const fr = await e2e.newPage({ as: g.convener.email, locale: 'fr-CH' });
    await fr.goto(g.boardUrl);
    await eventually(() => progress(fr)).toBe('1 sur 5 décidés, 0 définitifs');
    expect(await fr.locator('h1').textContent()).toContain('Examen : Report on security');
    expect(await fr.getByTestId('detail').textContent()).toContain('Rejeté');
    expect(await fr.getByLabel('État').count()).toBe(1);
    expect(await axeViolations(fr), 'board in French').toEqual([]);
    await screenshot(fr, 'board-fr');

    await e2e.app.prisma.user.update({ where: { id: g.coConvener.id }, data: { locale: 'ar' } });
    const ar = await e2e.newPage({ as: g.coConvener.email, locale: 'ar-EG' });
    await ar.goto(g.boardUrl);
    await ar.getByTestId('pile-item').first().waitFor();
    expect(await ar.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await ar.locator('h1').textContent()).toContain('البت في التعليقات');
    // Right to left: the list sits to the right of the detail on a wide screen.
    const list = await ar.locator('.board-list').boundingBox();
    const detail = await ar.getByTestId('detail').boundingBox();
    expect(list!.x).toBeGreaterThan(detail!.x);
    expect(await axeViolations(ar), 'board in Arabic').toEqual([]);
    await screenshot(ar, 'board-ar');
    expect(e2e.problems).toEqual([]);
  });
});

describe('the seed-000 cycle', () => {
  test("draft posted and commented live, deadline passes, dispositions proposed, one objected, finalised, conveners' draft, final report public; digests in the mailbox", async () => {
    const cast = await createLiveGroup(e2e.app);
    const { group } = cast;
    await e2e.app.prisma.group.update({ where: { id: group.id }, data: { visibility: 'PUBLIC_OUTPUTS' } });
    const second = await createUser(e2e.app, { name: 'Second Participant', affiliation: 'SG20 / Otherland' });
    await e2e.app.prisma.membership.create({ data: { groupId: group.id, userId: second.id, role: 'PARTICIPANT' } });
    const convenerSession = await sessionFor(e2e.app, cast.convener.email);
    const soon = (ms: number) => new Date(Date.now() + ms).toISOString();
    const milestone = (kind: string, label: string, inMs: number) =>
      call(e2e.app, convenerSession, 'POST', `/api/groups/${group.slug}/milestones`, { at: soon(inMs), kind, label });

    // The convener posts the draft in the browser.
    const convener = await e2e.newPage({ as: cast.convener.email });
    await convener.goto(`/groups/${group.slug}`);
    await convener.getByLabel('Title of a new document').fill('Report on security and privacy aspects of IoT');
    await convener.getByRole('button', { name: 'Create the document' }).click();
    await convener.waitForURL('**/new-revision');
    await convener.getByLabel('Label').fill('Initial baseline');
    await convener.getByLabel('Markdown', { exact: true }).fill(DRAFT_MD);
    await convener.getByRole('button', { name: 'Preview the clauses' }).click();
    await convener.getByRole('button', { name: 'Post this revision' }).click();
    await convener.waitForURL(/\/documents\/[0-9a-f-]{36}\/revisions\/1$/);
    const documentId = /documents\/([0-9a-f-]{36})/.exec(convener.url())![1]!;
    const docUrl = `/groups/${group.slug}/documents/${documentId}`;
    const api = `/api/groups/${group.slug}${docUrl.slice(`/groups/${group.slug}`.length)}`;

    // …and opens comments (no period screen yet: the route). The edges are timeframe milestones
    // made first (their digests fire from pg-boss when reached): milestones the period route places
    // itself are not scheduled for digests (left to the server).
    const opening = (await milestone('draft_posted', 'The draft report is posted; comments invited', 1_000)) as { id: string };
    const closing = (await milestone('comments_close', 'Document closed for adjudication by the conveners', 600_000)) as { id: string };
    const period = await call<{ id: string }>(e2e.app, convenerSession, 'POST', `${api}/periods`, {
      revision: 1,
      opensWithMilestoneId: opening.id,
      closesWithMilestoneId: closing.id,
    });

    // Two participants comment; one sees the other's comment arrive live.
    const [alice, bob] = await Promise.all([e2e.newPage({ as: cast.participant.email }), e2e.newPage({ as: second.email })]);
    await Promise.all([alice.goto(docUrl), bob.goto(docUrl)]);
    for (const page of [alice, bob]) await eventually(() => page.getByTestId('period-status').getAttribute('data-state'), 8_000).toBe('open');
    const clause = (page: Page, n: string) => page.locator(`section[data-clause="${n}"]`);
    const post = async (page: Page, n: string, text: string, type?: string) => {
      await clause(page, n).locator('.composer-toggle button').click();
      if (type) await clause(page, n).getByLabel(type).check();
      await clause(page, n).getByLabel('Comment', { exact: true }).fill(text);
      await clause(page, n).locator('form.composer button[type="submit"]').click();
    };
    await post(alice, '7.1', 'Physical capture needs tamper resistance as a countermeasure.');
    await eventually(() => clause(bob, '7.1').getByTestId('comment').count()).toBe(1);
    await post(bob, '7.1', 'Use "sensors and devices" consistently.', 'Editorial');
    await post(bob, '1', 'The scope should name the SG20 smart-city use cases.');
    await eventually(() => clause(alice, '1').getByTestId('comment').count()).toBe(1);

    // The conveners close comments once they are in (its milestone is reached now, so its digest
    // fires): the composer closes by itself on the open pages. A deadline passing on the clock is
    // test/e2e/documents.test.ts's, with the browser's clock moved, so no test waits for one here.
    await call(e2e.app, convenerSession, 'POST', `${api}/periods/${period.id}/close`, { reason: 'The comments are in; adjudication starts.' });
    await eventually(() => alice.getByTestId('period-status').getAttribute('data-state'), 10_000).toBe('closed');
    // Said in words per clause, with no control left that looks live.
    await eventually(() => clause(alice, '7.2').getByTestId('clause-closed').textContent()).toMatch(/Comments on clause 7\.2 are closed/);
    expect(await clause(alice, '7.2').locator('.composer-toggle button').count()).toBe(0);

    // The convener proposes dispositions on the board: one by its form, two in bulk.
    await convener.goto(docUrl);
    await convener.getByRole('link', { name: 'Adjudication board' }).click();
    await eventually(() => progress(convener)).toBe('0 of 3 decided, 0 final');
    await item(convener, 2).locator('[data-row]').click();
    const form = convener.getByTestId('decision-form');
    await form.getByLabel('Rejected').check();
    await form.getByLabel('Rationale').fill('Tamper resistance is covered by Recommendation ITU-T X.1362.');
    await form.getByRole('button', { name: 'Propose to the commenter' }).click();
    await eventually(() => item(convener, 2).getAttribute('data-status')).toBe('proposed');
    await item(convener, 1).getByRole('checkbox').check();
    await item(convener, 3).getByRole('checkbox').check();
    await convener.getByTestId('bulk-bar').getByRole('button', { name: 'Apply to the selection' }).click();
    await eventually(() => progress(convener)).toBe('3 of 3 decided, 0 final');

    // A participant objects to one, in "awaiting my response"; the board shows it live.
    await alice.getByRole('link', { name: 'Awaiting my response' }).click();
    const card = alice.getByTestId('awaiting-item');
    await eventually(() => card.count()).toBe(1);
    await card.getByRole('button', { name: 'Object' }).click();
    await card.getByLabel('Your reasons').fill('X.1362 does not address physical capture of constrained devices.');
    await card.getByRole('button', { name: 'Send the objection' }).click();
    await alice.getByTestId('awaiting-empty').waitFor();
    await eventually(() => item(convener, 2).locator('[data-consultation]').getAttribute('data-consultation')).toBe('objected');

    // The convener finalises all three, confirming over the objection; it stays on record.
    await convener.getByLabel('Select all shown').check();
    await convener.getByLabel('Action').selectOption('finalise');
    await convener.getByTestId('bulk-bar').getByRole('button', { name: 'Apply to the selection' }).click();
    expect(await convener.getByTestId('finalise-confirm').textContent()).toContain('1 was objected to by its commenter.');
    await convener.getByTestId('finalise-confirm').getByRole('button', { name: 'Finalise all 3 anyway' }).click();
    await eventually(() => progress(convener)).toBe('3 of 3 decided, 3 final');
    await screenshot(convener, 'board-final');

    // The conveners' draft is posted (its milestone a moment ahead, so its digest fires).
    await milestone('conveners_draft_posted', "Conveners' draft posted", 1_500);
    await convener.goto(`${docUrl}/new-revision`);
    await convener.getByLabel('Label').fill("Conveners' draft");
    await convener
      .getByLabel('Markdown', { exact: true })
      .fill(DRAFT_MD.replace('Devices may be captured physically', 'Devices may be captured physically (see X.1362)'));
    await convener.getByRole('button', { name: 'Preview the clauses' }).click();
    await convener.getByRole('button', { name: 'Post this revision' }).click();
    await convener.waitForURL(`**${docUrl}/revisions/2`);

    // The disposition of comments, with statistics and downloads.
    await convener.getByRole('link', { name: 'Disposition of comments' }).click();
    const rows = convener.getByTestId('disposition-rows').locator('tbody tr');
    await eventually(() => rows.count()).toBe(3);
    expect(await convener.getByTestId('statistics').textContent()).toContain('1 objection on record');
    expect(await rows.filter({ hasText: 'X.1362 does not address' }).textContent()).toContain('Objects');
    for (const [name, type] of [
      ['export-docx', 'wordprocessingml'],
      ['export-csv', 'text/csv'],
      ['export-json', 'application/json'],
    ] as const) {
      const href = await convener.getByTestId(name).getAttribute('href');
      const res = await convener.request.get(href!);
      expect(res.status(), name).toBe(200);
      expect(res.headers()['content-type'], name).toContain(type);
      expect(res.headers()['content-disposition'], name).toMatch(/^attachment/);
    }
    expect(await axeViolations(convener), 'disposition table').toEqual([]);
    await screenshot(convener, 'disposition-table');

    // Later, the final report: published with its table, readable without signing in.
    // The timeframe's planned publication step; publishing reaches it (one milestone, one digest).
    await milestone('final_report_published', 'Final report published', 120_000);
    // Publishing has its place on the final-report screen, which says what would be missing.
    await convener.getByRole('link', { name: 'Final report (not published)' }).click();
    await convener.waitForURL(`**${docUrl}/final-report`);
    expect(await convener.getByTestId('publish-missing').textContent()).toContain('All 3 dispositions are final');
    await convener.getByLabel('Revision to publish').selectOption('2');
    await convener.getByRole('button', { name: 'Publish the final report' }).click();
    await convener.getByTestId('disposition-rows').waitFor();
    expect(await axeViolations(convener), 'final report').toEqual([]);

    const anonymous = await e2e.newPage();
    await anonymous.goto(`/public/groups/${group.slug}/documents/${documentId}`);
    await eventually(() => anonymous.locator('h1').textContent()).toBe('Final report: Report on security and privacy aspects of IoT');
    expect(await anonymous.getByTestId('disposition-rows').locator('tbody tr').count()).toBe(3);
    expect(await anonymous.locator('.report-clause').filter({ hasText: '7.1' }).textContent()).toContain('(see X.1362)');
    expect(await axeViolations(anonymous), 'public final report').toEqual([]);
    await screenshot(anonymous, 'final-report-public');

    // The digests of each milestone, in the operator's local mailbox (no SMTP_URL).
    const kinds = ['DRAFT_POSTED', 'PERIOD_CLOSED', 'CONVENERS_DRAFT_POSTED', 'FINAL_REPORT_PUBLISHED'];
    await eventually(async () => (await e2e.app.prisma.digest.findMany({ where: { groupId: group.id } })).map((d) => d.kind).sort(), 15_000).toEqual(
      [...kinds].sort(),
    );
    const digests = await e2e.app.prisma.digest.findMany({ where: { groupId: group.id } });
    const operator = await e2e.newPage({ as: (await createOperator(e2e.app)).email });
    await operator.goto('/mailbox');
    await operator.getByLabel('Recipient contains').fill(group.mailingList!);
    await operator.getByRole('button', { name: 'Filter' }).click();
    for (const d of digests) {
      await eventually(async () => {
        await operator.getByRole('button', { name: 'Filter' }).click();
        return operator.getByRole('link', { name: d.subject }).count();
      }, 15_000).toBe(1);
    }
    await screenshot(operator, 'mailbox-digests');
    expect(e2e.problems).toEqual([]);
  }, 120_000);
});
