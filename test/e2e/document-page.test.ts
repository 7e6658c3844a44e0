// The document view opened straight from its address, in real Chromium: it renders from the data
// its page carries (server/modules/client-shell), with no API request before the comments are
// on screen; comment text is shown as text whatever it says; clauses far down the page keep their
// comments in the DOM and the accessibility tree (content-visibility only skips their layout).
// Its live connection starts from where the page's data was read: what changed meanwhile is
// replayed, nothing is fetched again, and a gap too large to replay makes it refetch.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, startE2E, type E2E } from './lib/harness.ts';
import { createDocumentGroup } from './lib/fixtures.ts';
import { testConfig } from '../helpers/app.ts';
import { sessionFor, type Session } from '../helpers/factories.ts';

/** The server replays at most this many missed events (a small window, so a test can exceed it). */
const REPLAY_MAX = 3;

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({ limits: { realtime: { ...testConfig().limits.realtime, replayMax: REPLAY_MAX } } });
}, 90_000);
afterAll(async () => {
  await e2e?.close();
});

// Raw HTML in a comment is sanitized away by the server; the code span is shown as text.
const HOSTILE = 'Never write `</script><!--` in a page. </script><script>alert(1)</script>';
// Raw HTML in a comment is shown as the characters typed (and never run).
const SHOWN = 'Never write </script><!-- in a page. </script><script>alert(1)</script>';

test("opened at its address, the document view renders from its page's data before any API request is answered", async () => {
  const g = await createDocumentGroup(e2e.app);
  const second = await sessionFor(e2e.app, g.second.email);
  const comments = [
    ...Array.from({ length: 10 }, (_, i) => [['1', '2', '7', '7.1', '7.2'][i % 5]!, `Comment ${i + 1} on the draft.`] as const),
    ['7.3', HOSTILE] as const,
  ];
  for (const [number, body] of comments) {
    const res = await e2e.app.inject({
      method: 'POST',
      url: `/api/groups/${g.group.slug}/documents/${g.document.id}/revisions/1/comments`,
      headers: second.headers,
      payload: { clauseId: g.clause(number).id, type: 'general', body },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  const page = await e2e.newPage({ as: g.participant.email, viewport: { width: 1200, height: 600 } });

  // Every API request waits until the comments are on screen: if the view needed one to render, it never would.
  await page.goto('about:blank'); // the page signing-in landed on asks nothing more
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const heldBack: string[] = [];
  await page.route('**/api/**', async (route) => {
    heldBack.push(new URL(route.request().url()).pathname);
    await released;
    await route.continue().catch(() => {}); // unless the page dropped it meanwhile
  });
  await page.goto(g.url);
  await expect.poll(() => page.getByTestId('comment').count(), { timeout: 10_000 }).toBe(comments.length);
  const before = [...heldBack];
  release();
  await page.unroute('**/api/**');
  expect(before, 'API requests made before the comments were on screen').toEqual([]);

  // Shown as the commenter wrote it, not run.
  const last = page.locator('section[data-clause="7.3"]');
  expect((await last.getByTestId('comment').locator('.comment-body').textContent())!.trim()).toBe(SHOWN);
  expect(await last.locator('.comment-body script').count()).toBe(0);
  // Below the fold: laid out only when near the viewport, yet in the DOM and the accessibility tree.
  expect(await last.evaluate((el) => getComputedStyle(el).contentVisibility)).toBe('auto');
  expect(await last.evaluate((el) => el.getBoundingClientRect().top > window.innerHeight)).toBe(true);
  expect(await last.ariaSnapshot()).toContain('</script><!--');

  // Then it follows the document live, as when loaded any other way.
  await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('live');

  // A reply box is only built when opened, yet a half-written reply is never lost: hidden, then
  // after a reload, its thread opens with it.
  const thread = last.locator('.thread').first();
  await thread.getByRole('button', { name: 'Reply' }).click();
  await thread.getByLabel('Your reply').fill('Half a thought');
  await thread.getByRole('button', { name: 'Hide' }).click();
  await thread.getByRole('button', { name: 'Reply' }).click();
  expect(await thread.getByLabel('Your reply').inputValue()).toBe('Half a thought');
  await page.reload();
  await expect
    .poll(() => page.locator('section[data-clause="7.3"] .thread').first().getByLabel('Your reply').inputValue(), { timeout: 10_000 })
    .toBe('Half a thought');
  expect(e2e.problems).toEqual([]);
});

/** Opens the view with its live connection held back until `release()`, noting every API GET it makes. */
async function openWithLiveHeld(page: Page, url: string) {
  // The page signing-in landed on ("/") boots after newPage() returns and asks for the session
  // and the groups: left there, its GETs would be counted as the view's (the occasional failure
  // of "nothing is fetched again").
  await page.goto('about:blank');
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.routeWebSocket(/socket\.io/, async (ws) => {
    await released;
    ws.connectToServer();
  });
  const gets: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (request.method() === 'GET' && pathname.startsWith('/api/')) gets.push(pathname);
  });
  await page.goto(url);
  await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('connecting');
  return { release, gets };
}

async function postComments(g: Awaited<ReturnType<typeof createDocumentGroup>>, who: Session, count: number) {
  for (let i = 0; i < count; i++) {
    const res = await e2e.app.inject({
      method: 'POST',
      url: `/api/groups/${g.group.slug}/documents/${g.document.id}/revisions/1/comments`,
      headers: who.headers,
      payload: { clauseId: g.clause('7.1').id, type: 'technical', body: `Posted while the page was loading (${i + 1}).` },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
}

test("follows live from where its page's data was read: a comment posted meanwhile is replayed and announced, nothing is fetched again", async () => {
  const g = await createDocumentGroup(e2e.app);
  const page = await e2e.newPage({ as: g.participant.email });
  const { release, gets } = await openWithLiveHeld(page, g.url);
  // After the page's data was read and before the view subscribes.
  await postComments(g, await sessionFor(e2e.app, g.second.email), 1);
  release();
  await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('live');
  await expect.poll(() => page.locator('section[data-clause="7.1"]').getByTestId('comment').count(), { timeout: 5_000 }).toBe(1);
  await expect.poll(() => page.getByTestId('announcer').textContent()).toBe('New comment by Second Participant on clause 7.1.');
  // Let a refetch that should not happen have its chance to.
  await page.waitForTimeout(500);
  expect(gets, "API requests after rendering from the page's data").toEqual([]);
  expect(e2e.problems).toEqual([]);
});

test('refetches when it missed more than the server replays, and then shows every comment', async () => {
  const g = await createDocumentGroup(e2e.app);
  const page = await e2e.newPage({ as: g.participant.email });
  const { release, gets } = await openWithLiveHeld(page, g.url);
  await postComments(g, await sessionFor(e2e.app, g.second.email), REPLAY_MAX + 1);
  release();
  await expect.poll(() => page.locator('section[data-clause="7.1"]').getByTestId('comment').count(), { timeout: 10_000 }).toBe(REPLAY_MAX + 1);
  expect(gets).toContain(`/api/groups/${g.group.slug}/documents/${g.document.id}/comments/export`);
  expect(e2e.problems).toEqual([]);
});

test("a long document's comments arrive a few threads per task, in page order, until every one is in the DOM and reachable", async () => {
  const g = await createDocumentGroup(e2e.app);
  const second = await sessionFor(e2e.app, g.second.email);
  const clauses = ['1', '2', '7', '7.1', '7.2', '7.3'];
  const total = 60;
  for (let i = 0; i < total; i++) {
    const res = await e2e.app.inject({
      method: 'POST',
      url: `/api/groups/${g.group.slug}/documents/${g.document.id}/revisions/1/comments`,
      headers: second.headers,
      payload: { clauseId: g.clause(clauses[i % clauses.length]!).id, type: 'general', body: `Comment ${i + 1}.` },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  const page = await e2e.newPage({ as: g.participant.email });
  // How many comments the DOM holds after each change (one change per render committed).
  await page.addInitScript(() => {
    const counts: number[] = [];
    (window as unknown as { commentCounts: number[] }).commentCounts = counts;
    new MutationObserver(() => {
      const n = document.querySelectorAll('[data-testid="comment"]').length;
      if (n !== counts.at(-1)) counts.push(n);
    }).observe(document, { subtree: true, childList: true });
  });
  await page.goto(g.url);
  await expect.poll(() => page.getByTestId('comment').count(), { timeout: 10_000 }).toBe(total);
  const counts = (await page.evaluate(() => (window as unknown as { commentCounts: number[] }).commentCounts)).filter((n) => n > 0);
  // Never the whole set in one render: at most a small batch at first, then growing step by step.
  expect(counts[0]).toBeLessThanOrEqual(12);
  expect(counts.length).toBeGreaterThanOrEqual(total / 12);
  expect(counts.every((n, i) => i === 0 || n > counts[i - 1]!)).toBe(true);
  // Each clause shows all of its comments, in the order they were made.
  for (const number of clauses) {
    const bodies = await page.locator(`section[data-clause="${number}"]`).getByTestId('comment').locator('.comment-body').allTextContents();
    expect(bodies).toHaveLength(total / clauses.length);
    const order = bodies.map((b) => Number(b.match(/\d+/)![0]));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  }
  // Reachable by keyboard: the reply button of the last comment on the page takes the focus.
  const lastReply = page.locator('section[data-clause="7.3"] .thread').last().getByRole('button', { name: 'Reply' });
  await lastReply.focus();
  await expect.poll(() => lastReply.evaluate((el) => el === document.activeElement)).toBe(true);
  expect(await axeViolations(page)).toEqual([]);
  expect(e2e.problems).toEqual([]);
});
