// The screens conveners and participants meet around a comment cycle, in real Chromium: a bulk
// "Finalise" that asks first (with what is awaiting an answer or objected) and records what was
// finalised over the consultation; the board's filters in the URL, the clause beside the comment
// and the decision form within an 860 px high window; "awaiting my response" as a compact list;
// the disposition table within 1280 px; publishing from the final-report screen; the home screens
// (My groups, "Comment now" first, a menu on a phone) on the seeded live copy of CG-IoTsec; and
// layout shift under 0.1 on sign-in and the group home. axe-core on every screen.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, screenshot, startE2E, type E2E } from './lib/harness.ts';
import { call, createAdjudicationGroup } from './lib/adjudication-fixtures.ts';
import { loadSeed } from '../../server/seed/load-seed.ts';
import { LIVE_CG_IOTSEC } from '../../server/seed/seed-data.ts';
import { formatInstant } from '../../client/src/i18n/translate.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 90_000);
afterAll(async () => {
  await e2e?.close();
});

const eventually = <T>(probe: () => T | Promise<T>, timeout = 10_000) => expect.poll(probe, { timeout });
const DESKTOP = { width: 1280, height: 860 };
/** The whole pile's progress (a filtered board adds "· Shown: …"). */
const progress = async (page: Page) => ((await page.getByTestId('progress').textContent()) ?? '').split(' · ')[0];

type G = Awaited<ReturnType<typeof createAdjudicationGroup>>;
const propose = (g: G, n: number, body: object = { disposition: 'accepted' }) =>
  call<{ version: number }>(e2e.app, g.convenerSession, 'PUT', `${g.api}/comments/${g.comments[n]!.id}/disposition`, { ...body, expectedVersion: 0 });
const respond = (g: G, n: number, by: 'participant' | 'second', response: 'agree' | 'object', text = '') =>
  call(e2e.app, by === 'participant' ? g.participantSession : g.secondSession, 'POST', `${g.api}/comments/${g.comments[n]!.id}/disposition/response`, {
    expectedVersion: 1,
    response,
    text,
  });

describe('adjudication', () => {
  test('the board keeps its filters in the URL, shows the clause beside the comment, fits the form in 860 px; bulk Finalise confirms with the counts awaiting and objected, can leave them out, and records a finalisation over an objection; a single Finalise (the f key or the form button) asks the same, or says until when the commenter may still answer', async () => {
    const g = await createAdjudicationGroup(e2e.app);
    const page = await e2e.newPage({ as: g.convener.email, viewport: DESKTOP });
    await page.goto(g.boardUrl);
    await eventually(() => page.getByTestId('pile-item').count()).toBe(5);
    await page.getByLabel('Clause', { exact: true }).selectOption('7.1');
    await page.getByLabel('Type', { exact: true }).selectOption('technical');
    await eventually(() => new URL(page.url()).search).toBe('?clause=7.1&type=technical');
    await eventually(() => page.getByTestId('pile-item').count()).toBe(1);
    // Back and forward follow the filters.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await eventually(() => page.getByTestId('pile-item').count()).toBe(5);
    await page.goBack();
    await eventually(() => page.getByTestId('pile-item').count()).toBe(1);
    // Shared as a link: opened afresh, the same view.
    await page.goto(`${g.boardUrl}?clause=7.1&type=technical`);
    await eventually(() => page.getByTestId('pile-item').count()).toBe(1);
    expect(await page.getByLabel('Clause', { exact: true }).inputValue()).toBe('7.1');
    // The clause the comment is about, beside it; the whole decision form without scrolling.
    await eventually(() => page.getByTestId('detail-clause').textContent()).toMatch(/captured physically/);
    const button = page.getByTestId('decision-form').getByRole('button', { name: 'Propose to the commenter' });
    const box = await button.boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(DESKTOP.height);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    expect(await axeViolations(page), 'board').toEqual([]);

    // #1 objected, #2 agreed, #3 awaiting (until a deadline three days ahead), #4 agreed; #5 undecided.
    const deadline = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 3 * 86_400_000).toISOString();
    for (const n of [0, 1, 3]) await propose(g, n);
    await propose(g, 2, { disposition: 'accepted', respondBy: deadline });
    await respond(g, 0, 'participant', 'object', 'The scope must name them.');
    await respond(g, 1, 'second', 'agree');
    await respond(g, 3, 'second', 'agree');
    await page.goto(`${g.boardUrl}?state=proposed`);
    await eventually(() => page.getByTestId('pile-item').count()).toBe(4);
    await page.getByLabel('Select all shown').check();
    await page.getByLabel('Action').selectOption('finalise');
    await page.getByTestId('bulk-bar').getByRole('button', { name: 'Apply to the selection' }).click();
    const confirm = page.getByTestId('finalise-confirm');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('1 is still awaiting the commenter’s answer');
    expect(await confirm.textContent()).toContain('1 was objected to by its commenter');
    expect(await progress(page)).toBe('4 of 5 decided, 0 final');
    expect(await axeViolations(page), 'finalise confirmation').toEqual([]);
    await confirm.getByRole('button', { name: 'Finalise only the 2 others' }).click();
    await eventually(() => progress(page)).toBe('4 of 5 decided, 2 final');

    // The objected one, finalised anyway: the server keeps that it was over an objection.
    await page.getByTestId('pile-item').first().getByRole('checkbox').check();
    await page.getByLabel('Action').selectOption('finalise');
    await page.getByTestId('bulk-bar').getByRole('button', { name: 'Apply to the selection' }).click();
    await confirm.getByRole('button', { name: 'Finalise it anyway' }).click();
    await eventually(() => progress(page)).toBe('4 of 5 decided, 3 final');
    const row = await e2e.app.prisma.disposition.findUniqueOrThrow({ where: { commentId: g.comments[0]!.id } });
    expect(row.finalisedOver).toBe('OBJECTION');
    const agreed = await e2e.app.prisma.disposition.findUniqueOrThrow({ where: { commentId: g.comments[1]!.id } });
    expect(agreed.finalisedOver).toBeNull();
    const audit = await e2e.app.prisma.auditEntry.findFirstOrThrow({ where: { entityId: row.id, action: 'dispositions.finalised' } });
    expect(audit.after).toMatchObject({ finalisedOver: 'objection' });

    // One at a time, by the `f` key or the form's button, the same question; Escape gives the focus back.
    await propose(g, 4);
    await respond(g, 4, 'second', 'object', 'Platforms are out of scope.');
    const fifth = page.locator(`[data-row="${g.comments[4]!.id}"]`);
    // Arrived live in the filtered list; the objection comes in its own event after the proposal,
    // and the question below depends on it.
    await eventually(() => fifth.locator('[data-consultation]').getAttribute('data-consultation')).toBe('objected');
    await fifth.click();
    await page.keyboard.press('f');
    const single = page.getByTestId('finalise-one-confirm');
    await single.waitFor();
    expect(await single.textContent()).toContain('Its commenter objected to the proposed disposition.');
    expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="finalise-one-confirm"]'))).toBe(true);
    expect(await axeViolations(page), 'single finalise confirmation').toEqual([]);
    await page.keyboard.press('Escape');
    await eventually(() => single.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-row'))).toBe(g.comments[4]!.id);
    expect(await progress(page)).toBe('5 of 5 decided, 3 final');
    await page.getByTestId('decision-form').getByTestId('finalise').click();
    await single.getByRole('button', { name: 'Finalise anyway' }).click();
    await eventually(() => progress(page)).toBe('5 of 5 decided, 4 final');
    const over = await e2e.app.prisma.disposition.findUniqueOrThrow({ where: { commentId: g.comments[4]!.id } });
    expect(over.finalisedOver).toBe('OBJECTION');
    // Awaiting an answer within the response deadline: the server would refuse, so the form says until when.
    await page.locator(`[data-row="${g.comments[2]!.id}"]`).click();
    await page.getByTestId('decision-form').getByTestId('finalise').click();
    await single.waitFor();
    expect(await single.textContent()).toContain(`may agree or object until ${formatInstant('en', deadline, 'Europe/Zurich')}`);
    expect(await single.getByRole('button', { name: 'Finalise anyway' }).count()).toBe(0);
    await single.getByRole('button', { name: 'Close' }).click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('finalise');
    expect(e2e.problems).toEqual([]);
  }, 60_000);

  test('"awaiting my response" is a compact list sorted by clause with agree and object per row and "agree to all remaining"; the disposition table fits 1280 px with the affiliation once per row; the final-report screen offers publishing with what is missing', async () => {
    const g = await createAdjudicationGroup(e2e.app);
    // The second participant's comments are on 2, 7.1 and 7.3; proposed out of order. No affiliation given.
    await e2e.app.prisma.user.update({ where: { id: g.second.id }, data: { affiliation: '' } });
    await propose(g, 4, { disposition: 'noted', rationale: 'A table would help; later.' });
    await propose(g, 1);
    await propose(g, 3, { disposition: 'rejected', rationale: 'The text already says so.' });
    const page = await e2e.newPage({ as: g.second.email, viewport: DESKTOP });
    await page.goto('/me/awaiting');
    const rows = page.getByTestId('awaiting-item');
    await eventually(() => rows.count()).toBe(3);
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-clause')))).toEqual(['2', '7.1', '7.3']);
    for (const box of await rows.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height))) expect(box).toBeLessThan(220);
    expect(await axeViolations(page), 'awaiting list').toEqual([]);
    // Object on one row: its reasons, in that row.
    const objecting = rows.nth(2);
    await objecting.getByRole('button', { name: 'Object' }).click();
    await objecting.getByLabel('Your reasons').fill('A threat table belongs here.');
    await objecting.getByRole('button', { name: 'Send the objection' }).click();
    await eventually(() => rows.count()).toBe(2);
    await page.getByRole('button', { name: 'Agree to all remaining (2)' }).click();
    await page.getByTestId('awaiting-empty').waitFor();
    const pile = await call<{ items: { comment: { id: string }; disposition: { response: { kind: string } | null } }[] }>(
      e2e.app,
      g.convenerSession,
      'GET',
      `${g.api}/dispositions`,
    );
    const kinds = Object.fromEntries(pile.items.map((i) => [i.comment.id, i.disposition.response?.kind ?? null]));
    expect([kinds[g.comments[1]!.id], kinds[g.comments[3]!.id], kinds[g.comments[4]!.id]]).toEqual(['agree', 'agree', 'object']);

    const convener = await e2e.newPage({ as: g.convener.email, viewport: DESKTOP });
    await convener.goto(`${g.url}/dispositions`);
    const tableRows = convener.getByTestId('disposition-rows').locator('tbody tr');
    await eventually(() => tableRows.count()).toBe(5);
    const overflow = await convener.evaluate(() => {
      const scroller = document.querySelector('.table-scroll')!;
      return { table: scroller.scrollWidth - scroller.clientWidth, page: document.documentElement.scrollWidth - window.innerWidth };
    });
    expect(overflow).toEqual({ table: 0, page: 0 });
    const first = (await tableRows.first().textContent())!;
    expect(first.split(g.participant.affiliation).length - 1).toBe(1);
    expect(await axeViolations(convener), 'disposition table').toEqual([]);

    // Before publishing, the final-report screen is where publishing happens, saying what is missing.
    await convener.goto(`${g.url}/final-report`);
    await convener.getByTestId('publish-form').waitFor();
    expect(await convener.getByText('not found').count()).toBe(0);
    expect(await convener.getByTestId('publish-missing').textContent()).toContain('5 comments have no final decision');
    expect(await axeViolations(convener), 'final report before publishing').toEqual([]);
    expect(e2e.problems).toEqual([]);
  }, 60_000);
});

/** Sums the page's layout-shift entries (those without recent input), as CLS counts them. */
const CLS_PROBE = () => {
  const w = window as unknown as { __cls: number };
  w.__cls = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) if (!e.hadRecentInput) w.__cls += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
};
const settledCls = async (page: Page) => {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => (window as unknown as { __cls: number }).__cls);
};

describe('home screens on the seeded live CG-IoTsec', () => {
  test('My groups shows phase, deadline and what awaits me; the group home puts "Comment now" first; the phone header is a menu; CLS < 0.1', async () => {
    await loadSeed(e2e.app.ctx);
    const live = await e2e.app.prisma.group.findUniqueOrThrow({ where: { slug: LIVE_CG_IOTSEC.slug } });
    const expert = LIVE_CG_IOTSEC.people.find((p) => p.role === 'PARTICIPANT')!;

    // A new visitor opens Convene on a phone: the session check, then the sign-in form.
    const signIn = await e2e.newPage({ viewport: { width: 375, height: 740 } });
    await signIn.addInitScript(CLS_PROBE);
    await signIn.goto('/');
    await signIn.getByLabel('E-mail address').waitFor();
    expect(await settledCls(signIn), 'CLS on sign-in').toBeLessThan(0.1);

    const page = await e2e.newPage({ as: expert.email, viewport: DESKTOP });
    await page.goto('/');
    const card = page.getByTestId('group-card').filter({ hasText: live.name });
    await eventually(() => card.getByTestId('group-phase').textContent()).toBe('Comment period open');
    expect(await card.getByTestId('group-next').textContent()).toContain('Document closed for adjudication');
    expect(await card.getByTestId('group-awaits').textContent()).toMatch(/Comment now — closes in 2[45] days/);
    expect(await axeViolations(page), 'my groups').toEqual([]);

    await page.addInitScript(CLS_PROBE);
    await page.goto(`/groups/${live.slug}`);
    const cta = page.getByTestId('comment-now');
    await cta.waitFor();
    expect(await cta.textContent()).toMatch(/Comment now — closes in 2[45] days/);
    expect((await cta.boundingBox())!.y).toBeLessThan(260);
    expect(await settledCls(page), 'CLS on the group home').toBeLessThan(0.1);
    expect(await axeViolations(page), 'group home').toEqual([]);
    await screenshot(page, 'home-1280');
    await cta.getByRole('link').click();
    await page.waitForURL(/\/documents\//);

    // The 2016 group stays as history.
    const history = await e2e.app.prisma.milestone.findMany({ where: { group: { slug: 'cg-iotsec' } }, orderBy: { at: 'asc' } });
    expect(history[0]!.at.toISOString()).toBe('2016-04-01T00:00:00.000Z');

    // On a phone the navigation folds into a menu.
    const phone = await e2e.newPage({ as: expert.email, viewport: { width: 375, height: 740 } });
    await phone.goto(`/groups/${live.slug}`);
    await phone.getByTestId('comment-now').waitFor();
    const header = await phone.locator('.site-header').boundingBox();
    expect(header!.height).toBeLessThan(80);
    const menu = phone.getByRole('button', { name: 'Menu' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await menu.click();
    await phone.getByRole('link', { name: 'Awaiting my response' }).click();
    await phone.waitForURL('**/me/awaiting');
    await phone.getByRole('heading', { level: 1, name: 'Awaiting my response' }).waitFor();
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await axeViolations(phone), 'phone').toEqual([]);
    expect(e2e.problems).toEqual([]);
  }, 60_000);
});
