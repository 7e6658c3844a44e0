// The document view opened straight from its address, in real Chromium: it renders from the data
// its page carries (server/modules/client-shell), with no API request before the comments are
// on screen; comment text is shown as text whatever it says; clauses far down the page keep their
// comments in the DOM and the accessibility tree (content-visibility only skips their layout).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startE2E, type E2E } from './lib/harness.ts';
import { createDocumentGroup } from './lib/fixtures.ts';
import { signIn } from '../helpers/factories.ts';

let e2e: E2E;
beforeAll(async () => { e2e = await startE2E(); }, 90_000);
afterAll(async () => { await e2e?.close(); });

// Raw HTML in a comment is sanitized away by the server; the code span is shown as text.
const HOSTILE = 'Never write `</script><!--` in a page. </script><script>alert(1)</script>';
// Raw HTML in a comment is shown as the characters typed (and never run).
const SHOWN = 'Never write </script><!-- in a page. </script><script>alert(1)</script>';

test('opened at its address, the document view renders from its page\'s data before any API request is answered', async () => {
  const g = await createDocumentGroup(e2e.app);
  const second = await signIn(e2e.app, g.second.email);
  const comments = [
    ...Array.from({ length: 10 }, (_, i) => [['1', '2', '7', '7.1', '7.2'][i % 5]!, `Comment ${i + 1} on the draft.`] as const),
    ['7.3', HOSTILE] as const,
  ];
  for (const [number, body] of comments) {
    const res = await e2e.app.inject({
      method: 'POST', url: `/api/groups/${g.group.slug}/documents/${g.document.id}/revisions/1/comments`, headers: second.headers,
      payload: { clauseId: g.clause(number).id, type: 'general', body },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  const page = await e2e.newPage({ as: g.participant.email, viewport: { width: 1200, height: 600 } });

  // Every API request waits until the comments are on screen: if the view needed one to render, it never would.
  await page.goto('about:blank'); // the page signing-in landed on asks nothing more
  let release = () => {};
  const released = new Promise<void>((resolve) => { release = resolve; });
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
  await expect.poll(() => page.locator('section[data-clause="7.3"] .thread').first().getByLabel('Your reply').inputValue(), { timeout: 10_000 }).toBe('Half a thought');
  expect(e2e.problems).toEqual([]);
});
