// The adjudication screens in real Chromium: a convener works the pile with the keyboard only
// while the other convener's decisions arrive live (the half-typed rationale survives, the 409
// shows their disposition and reapplies ours); bulk decisions; the commenter's "awaiting my
// response" with its errors beside the form; the board in French and Arabic. axe-core on every
// screen; screenshots to test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, screenshot, startE2E, type E2E } from './lib/harness.ts';
import { call, createAdjudicationGroup } from './lib/adjudication-fixtures.ts';

let e2e: E2E;
beforeAll(async () => { e2e = await startE2E(); }, 90_000);
afterAll(async () => { await e2e?.close(); });

const item = (page: Page, n: number) => page.getByTestId('pile-item').nth(n - 1);
const focusedRowNumber = (page: Page) => page.evaluate(() => document.activeElement?.closest('[data-row]')?.querySelector('.pile-number')?.textContent ?? null);
const announcer = (page: Page) => page.getByTestId('announcer');
const progress = (page: Page) => page.getByTestId('progress').textContent();

describe('the adjudication board', () => {
  test('a convener adjudicates with the keyboard only while the other convener decides live; a 409 shows theirs and reapplies mine', async () => {
    const g = await createAdjudicationGroup(e2e.app);
    const page = await e2e.newPage({ as: g.convener.email });
    await page.goto(g.url);
    await page.getByRole('link', { name: 'Adjudication board' }).click();
    await page.waitForURL(`**${g.boardUrl}`);
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('live');
    expect(await progress(page)).toBe('0 of 5 decided, 0 final');
    expect(await page.getByTestId('pile-item').count()).toBe(5);
    expect(await axeViolations(page), 'board').toEqual([]);

    // Keyboard only from here: into the list, j/k to move, d to open the decision form.
    await page.getByTestId('pile-item').first().locator('[data-row]').focus();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await expect.poll(() => focusedRowNumber(page)).toBe('#2');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focusedRowNumber(page)).toBe('#3');
    expect(await page.getByTestId('detail').locator('h2').textContent()).toContain('Comment 3');
    await page.keyboard.press('d');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('accepted');
    await page.keyboard.press('ArrowDown'); // radios: moves and checks "accepted with modification"
    await page.keyboard.press('ArrowDown'); // "rejected"
    await page.keyboard.press('Tab');
    await page.keyboard.type('Tamper resistance is covered by X.1362');
    expect(await page.getByTestId('decision-form').getByText('Unsaved changes').count()).toBe(1);

    // Meanwhile the co-convener decides the same comment.
    const third = g.comments[2]!.id;
    await call(e2e.app, g.coConvenerSession, 'PUT', `${g.api}/comments/${third}/disposition`, { disposition: 'noted', rationale: 'Already in clause 8.', expectedVersion: 0 });
    await expect.poll(() => progress(page), { timeout: 5_000 }).toBe('1 of 5 decided, 0 final');
    await expect.poll(() => announcer(page).textContent()).toBe('Comment 3 changed: Noted (no change needed), Proposed.');
    expect(await item(page, 3).textContent()).toContain('Changed by Co-Convener');
    expect(await page.getByTestId('changed-under-you').textContent()).toContain('Co-Convener changed this disposition while you were typing');
    // What I typed, and where I typed it, are untouched.
    const rationale = page.getByTestId('decision-form').getByLabel('Rationale');
    expect(await rationale.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('.');
    expect(await rationale.inputValue()).toBe('Tamper resistance is covered by X.1362.');
    await screenshot(page, 'board-changed-live');

    // Saving meets the 409: their disposition is shown, mine is reapplied on request.
    await page.keyboard.press('Tab'); // adopted text
    await page.keyboard.press('Tab'); // response deadline
    await page.keyboard.press('Tab'); // propose
    await page.keyboard.press('Enter');
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('Noted (no change needed)');
    expect(await conflict.textContent()).toContain('Already in clause 8.');
    expect(await axeViolations(page), 'board with a conflict').toEqual([]);
    await screenshot(page, 'board-conflict');
    await conflict.getByRole('button', { name: 'Reapply my decision' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => announcer(page).textContent()).toBe('Comment 3: Rejected proposed to the commenter.');
    expect(await item(page, 3).getAttribute('data-status')).toBe('proposed');
    expect(await item(page, 3).textContent()).toContain('Rejected');
    const stored = await call<{ disposition: string; rationale: string; version: number }>(e2e.app, g.convenerSession, 'GET', `${g.api}/comments/${third}/disposition`);
    expect(stored).toMatchObject({ disposition: { disposition: 'rejected', rationale: 'Tamper resistance is covered by X.1362.', version: 2 } });

    // Escape back to the list, on to comment 4: accept it (no rationale needed), then finalise with f.
    await page.keyboard.press('Escape');
    await expect.poll(() => focusedRowNumber(page)).toBe('#3');
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Space'); // checks "accepted"
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => announcer(page).textContent()).toBe('Comment 4: Accepted proposed to the commenter.');
    await page.keyboard.press('Escape');
    await page.keyboard.press('f');
    await expect.poll(() => announcer(page).textContent()).toBe('Comment 4 finalised.');
    await expect.poll(() => progress(page)).toBe('2 of 5 decided, 1 final');

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
    await expect.poll(() => page.getByTestId('bulk-bar').locator('.field-error, [role="alert"]').first().textContent()).toMatch(/rationale/i);
    await page.getByTestId('bulk-bar').getByLabel('Rationale').fill('Future work item for the next study period.');
    await page.getByTestId('bulk-bar').getByRole('button', { name: 'Apply to the selection' }).click();
    await expect.poll(() => announcer(page).textContent()).toBe('Applied to 2 comments.');
    await expect.poll(() => progress(page)).toBe('4 of 5 decided, 1 final');

    // Filters: proposed only, then by clause.
    await page.keyboard.press('/');
    await page.getByLabel('State', { exact: true }).selectOption('proposed');
    await expect.poll(() => page.getByTestId('pile-item').count()).toBe(3);
    expect(await progress(page)).toContain('Shown: 3 of 3 decided');
    await page.getByLabel('Clause', { exact: true }).selectOption('7.1');
    await expect.poll(() => page.getByTestId('pile-item').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.getByTestId('pile-item').count()).toBe(5);

    // The help dialog, by ?; Escape closes it and focus comes back.
    await page.getByTestId('pile-item').first().locator('[data-row]').focus();
    await page.keyboard.press('?');
    const help = page.getByTestId('help-dialog');
    await expect.poll(() => help.isVisible()).toBe(true);
    expect(await help.textContent()).toContain('Open the decision form of the comment');
    expect(await axeViolations(page), 'help dialog').toEqual([]);
    await screenshot(page, 'board-help');
    await page.keyboard.press('Escape');
    await expect.poll(() => help.isVisible()).toBe(false);
    await expect.poll(() => focusedRowNumber(page)).toBe('#1');
    await screenshot(page, 'board');
    expect(e2e.problems).toEqual([]);
  });

  test('the commenter answers in "awaiting my response": an objection needs reasons, a late answer gets the server\'s sentence beside the form', async () => {
    const g = await createAdjudicationGroup(e2e.app);
    const [first, , third] = g.comments;
    const soon = new Date(Date.now() + 3_000).toISOString();
    await call(e2e.app, g.convenerSession, 'PUT', `${g.api}/comments/${first!.id}/disposition`, { disposition: 'accepted_with_modification', rationale: 'Scope names SG20 use cases in a note.', adoptedText: 'NOTE – SG20 use cases are in scope.', expectedVersion: 0 });
    await call(e2e.app, g.convenerSession, 'PUT', `${g.api}/comments/${third!.id}/disposition`, { disposition: 'rejected', rationale: 'Out of this clause.', respondBy: soon, expectedVersion: 0 });
    const page = await e2e.newPage({ as: g.participant.email, timezoneId: 'Asia/Tokyo' });
    await page.goto('/');
    await page.getByRole('link', { name: 'Awaiting my response' }).click();
    const cards = page.getByTestId('awaiting-item');
    await expect.poll(() => cards.count()).toBe(2);
    const late = cards.filter({ hasText: 'Out of this clause.' });
    expect(await late.textContent()).toMatch(/GMT\+9.*UTC/);
    expect(await axeViolations(page), 'awaiting my response').toEqual([]);
    await screenshot(page, 'awaiting');

    // Objecting without reasons: said beside the field, nothing sent.
    const open = cards.filter({ hasText: 'Scope names SG20' });
    await open.getByLabel('I object').check();
    await open.getByRole('button', { name: 'Send my answer' }).click();
    expect(await open.locator('.field-error').textContent()).toBe('Say why you object, so the conveners can consider it.');
    await open.getByLabel('Your reasons').fill('A note is not normative: put it in the scope text.');
    await open.getByRole('button', { name: 'Send my answer' }).click();
    await expect.poll(() => announcer(page).textContent()).toBe('Your answer on Report on security and privacy aspects of IoT was recorded.');
    await expect.poll(() => cards.count()).toBe(1);

    // After the deadline: the server's 409 sentence next to that form; the typed text stays.
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(soon) - Date.now() + 200)));
    await late.getByLabel('I agree').check();
    await late.getByLabel('Your reasons').fill('Fine by me.');
    await late.getByRole('button', { name: 'Send my answer' }).click();
    await expect.poll(() => late.locator('[role="alert"]').textContent()).toMatch(/deadline .* has passed/);
    expect(await late.getByLabel('Your reasons').inputValue()).toBe('Fine by me.');
    await screenshot(page, 'awaiting-error');
    const pile = await call<{ items: { disposition: { response: { kind: string; text: string } | null } }[] }>(e2e.app, g.convenerSession, 'GET', `${g.api}/dispositions?state=objected`);
    expect(pile.items.map((i) => i.disposition.response)).toEqual([expect.objectContaining({ kind: 'object', text: 'A note is not normative: put it in the scope text.' })]);
    expect(e2e.problems).toEqual([]);
  });

  test('the board in French and in Arabic: translated, right to left in Arabic, no axe violation', async () => {
    const g = await createAdjudicationGroup(e2e.app);
    await call(e2e.app, g.convenerSession, 'PUT', `${g.api}/comments/${g.comments[0]!.id}/disposition`, { disposition: 'rejected', rationale: 'Hors du champ.', expectedVersion: 0 });
    await e2e.app.prisma.user.update({ where: { id: g.convener.id }, data: { locale: 'fr' } });
    const fr = await e2e.newPage({ as: g.convener.email, locale: 'fr-CH' });
    await fr.goto(g.boardUrl);
    await expect.poll(() => progress(fr)).toBe('1 sur 5 décidés, 0 définitifs');
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
