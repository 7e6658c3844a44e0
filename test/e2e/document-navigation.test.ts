// Finding and commenting on a clause in real Chromium, as a reader on a phone and at a desk, with
// a mouse or the keyboard alone, meets it on the seed's real draft (19 clauses): a link to a
// clause lands on it (readable #7.1 anchors; old #clause-<id> links still work) and moves the
// focus to its heading; opening a composer focuses its first field; a skip-to-clause control; a
// selection offers "Comment on this" instead of opening a form by itself, and the quoted words
// are highlighted in the clause afterwards; comments are numbered with a permanent link; a closed
// period is said in words, not as disabled buttons; compare diffs block by block.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, screenshot, startE2E, type E2E } from './lib/harness.ts';
import { createLiveGroup } from './lib/fixtures.ts';
import { sessionFor } from '../helpers/factories.ts';
import { inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const seedDraft = (name: string) => readFile(path.join(here, '../../server/modules/revisions/lib', name), 'utf8');

let e2e: E2E;
let SEED_MD: string;
beforeAll(async () => {
  [e2e, SEED_MD] = await Promise.all([startE2E(), seedDraft('seed-x-iotsec-2.md')]);
}, 90_000);
afterAll(async () => {
  await e2e?.close();
});

/** The seed's draft as revision 1 with a comment period (open unless `closesAt` has passed), and comments spread over it. */
async function seedDocument({ closesAt = inHours(24), comments = 0 }: { closesAt?: string; comments?: number } = {}) {
  const cast = await createLiveGroup(e2e.app);
  const convener = await sessionFor(e2e.app, cast.convener.email);
  const document = await postDocument(e2e.app, cast.group.slug, convener);
  const revision = await postMarkdownRevision(e2e.app, cast.group.slug, document.id, convener, SEED_MD);
  await openPeriodApi(e2e.app, cast.group.slug, document.id, convener, 1, inHours(-2), closesAt > new Date().toISOString() ? closesAt : inHours(-1));
  const clause = (number: string) => revision.clauses.find((c) => c.number === number)!;
  const participant = await sessionFor(e2e.app, cast.participant.email);
  // Comments on the clauses above 7.1 make their real heights differ from any estimate.
  const numbers = ['1', '2', '3.1.1', '6', '7'];
  for (let i = 0; i < comments; i++) {
    const res = await e2e.app.inject({
      method: 'POST',
      url: `/api/groups/${cast.group.slug}/documents/${document.id}/revisions/1/comments`,
      headers: participant.headers,
      payload: {
        clauseId: clause(numbers[i % numbers.length]!).id,
        type: 'general',
        body: `Comment ${i + 1}.\n\n${'A longer paragraph of reasoning. '.repeat(i % 3 ? 2 : 12)}`,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  return { ...cast, convener, participantSession: participant, document, revision, clause, url: `/groups/${cast.group.slug}/documents/${document.id}` };
}

/** A full-page screenshot with every clause laid out (off-screen ones are otherwise blank in it). */
async function screenshotAllLaidOut(page: Page, name: string) {
  const style = await page.addStyleTag({ content: '.clause { content-visibility: visible !important; }' });
  await screenshot(page, name);
  await style.evaluate((el) => (el as Element).remove());
}

const section = (page: Page, number: string) => page.locator(`section[data-clause="${number}"]`);
const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

/** Where the clause's section sits below the viewport's top, once it has stopped moving. */
async function settledTop(page: Page, number: string): Promise<number> {
  let last = Number.NaN;
  for (let i = 0; i < 20; i++) {
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const top = await section(page, number).evaluate((el) => el.getBoundingClientRect().top);
    if (Math.abs(top - last) < 0.5) return top;
    last = top;
  }
  return last;
}
const scrollMargin = (page: Page, number: string) => section(page, number).evaluate((el) => Number.parseFloat(getComputedStyle(el).scrollMarginBlockStart));

test('a link to a clause lands on it within 8 px at 375 and 1280 px, with #7.1 anchors (old links too), the focus on its heading, and single numbers in the list', async () => {
  const d = await seedDocument({ comments: 10 });
  for (const width of [1280, 375]) {
    const page = await e2e.newPage({ as: d.participant.email, viewport: { width, height: 800 } });
    await page.goto(d.url);
    await expect.poll(() => page.getByTestId('comment').count(), { timeout: 10_000 }).toBe(10);
    if (width === 1280) await screenshotAllLaidOut(page, 'document-view-1280');

    // The list of clauses: one number per clause (no list marker before it), a readable anchor.
    const entry = page.locator('.toc li').filter({ hasText: 'Security threats for sensor/devices' });
    expect(await entry.evaluate((li) => getComputedStyle(li).listStyleType)).toBe('none');
    const link = entry.getByRole('link');
    expect(await link.getAttribute('href')).toBe('#7.1');

    await link.click();
    expect(new URL(page.url()).hash).toBe('#7.1');
    const top = await settledTop(page, '7.1');
    expect(Math.abs(top - (await scrollMargin(page, '7.1'))), `lands at the clause (${width} px wide: ${top} px)`).toBeLessThanOrEqual(8);
    expect(await focusedText(page)).toBe('7.1 Security threats for sensor/devices');

    // Opened at its address with a clause's anchor (at one width), with an old opaque one (at the other).
    for (const hash of width === 1280 ? ['#8.2'] : [`#clause-${d.clause('8.2').id}`]) {
      await page.goto('about:blank');
      await page.goto(`${d.url}${hash}`);
      await expect.poll(() => focusedText(page), { timeout: 10_000 }).toBe('8.2 Security capabilities for network');
      const at = await settledTop(page, '8.2');
      expect(Math.abs(at - (await scrollMargin(page, '8.2'))), `${hash} at ${width} px: ${at} px`).toBeLessThanOrEqual(8);
      expect(new URL(page.url()).hash).toBe('#8.2');
    }
    await page.context().close();
  }
  expect(e2e.problems).toEqual([]);
});

test('the keyboard goes where the eye goes: a skip-to-clause control, and Enter on "Comment on clause 7.1" focuses the form\'s first field', async () => {
  const d = await seedDocument();
  const page = await e2e.newPage({ as: d.participant.email, viewport: { width: 1280, height: 800 } });
  await page.goto(d.url);
  await page.getByTestId('live-status').waitFor();
  // From the top of the page, the control is a few Tabs away.
  await page.locator('body').focus();
  let tabs = 0;
  for (; tabs < 15; tabs++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent === 'Go to clause')) break;
  }
  expect(tabs, 'Tabs to the skip-to-clause control').toBeLessThan(12);
  await page.keyboard.type('9.9');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('clause-jump-error').textContent()).toBe('There is no clause 9.9 in this revision.');
  await page.getByLabel('Go to clause').fill('7.1');
  await page.keyboard.press('Enter');
  await expect.poll(() => focusedText(page)).toBe('7.1 Security threats for sensor/devices');
  expect(new URL(page.url()).hash).toBe('#7.1');
  // From the heading, the clause's comment button is a Tab or two away (it took 53).
  let more = 0;
  for (; more < 5; more++) {
    await page.keyboard.press('Tab');
    if ((await focusedText(page)) === 'Comment on clause 7.1') break;
  }
  expect(more).toBeLessThan(3);
  await page.keyboard.press('Enter');
  const form = section(page, '7.1').getByRole('form', { name: 'Your comment on clause 7.1' });
  await form.waitFor();
  expect(await form.evaluate((f) => f.contains(document.activeElement) && document.activeElement === f.querySelector('input:checked, input, textarea'))).toBe(
    true,
  );
  expect(await axeViolations(page)).toEqual([]);
  expect(e2e.problems).toEqual([]);
});

test('selecting words offers "Comment on this" beside them; the quote is highlighted afterwards; each comment has a number, a permanent link and Reply inside its card', async () => {
  const d = await seedDocument();
  const page = await e2e.newPage({ as: d.participant.email, viewport: { width: 1280, height: 800 } });
  await page.goto(`${d.url}#7.1`);
  const body = section(page, '7.1').getByTestId('clause-body');
  const phrase = 'deployed unattended';
  await expect.poll(() => body.textContent(), { timeout: 10_000 }).toContain(phrase);
  const box = await body.evaluate((el, phrase) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(phrase);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + phrase.length);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
      el.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
      const r = range.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    }
    throw new Error('not in the clause');
  }, phrase);
  // No form opens by itself; a button appears beside the selection.
  expect(await section(page, '7.1').getByRole('form').count()).toBe(0);
  const offer = page.getByRole('button', { name: 'Comment on this' });
  await offer.waitFor();
  const at = (await offer.boundingBox())!;
  expect(at.y).toBeGreaterThan(box.top - 60);
  expect(at.y).toBeLessThan(box.bottom + 60);
  await offer.click();
  const form = section(page, '7.1').getByRole('form', { name: 'Your comment on clause 7.1' });
  expect(await form.getByLabel('Quoted text').inputValue()).toBe(phrase);
  expect(await form.evaluate((f) => f.contains(document.activeElement))).toBe(true);
  await form.getByLabel('Comment', { exact: true }).fill('Physical capture needs tamper resistance.');
  await form.getByRole('button', { name: 'Post comment' }).click();
  const card = section(page, '7.1').getByTestId('comment');
  await card.waitFor();

  // The quoted words are highlighted in the clause (the CSS Custom Highlight API: the server's HTML is left as it is).
  await expect.poll(() => page.evaluate(() => [...(CSS.highlights.get('comment-quote') ?? [])].map((r) => r.toString()))).toEqual([phrase]);
  // A number and a permanent link; Reply inside the card.
  const permalink = card.getByRole('link', { name: /^Comment #1\b/ });
  expect(await permalink.textContent()).toBe('#1');
  expect(await permalink.getAttribute('href')).toBe(`${d.url}/revisions/1#comment-1`);
  expect(await card.getByRole('button', { name: 'Reply' }).count()).toBe(1);
  await page.goto('about:blank');
  await page.goto(`${d.url}/revisions/1#comment-1`);
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-number')), { timeout: 10_000 }).toBe('1');
  expect(await axeViolations(page)).toEqual([]);
  await screenshotAllLaidOut(page, 'document-view-quote');
  expect(e2e.problems).toEqual([]);
});

test('a closed period is said once at the top and per clause in words, with no disabled buttons', async () => {
  const d = await seedDocument({ closesAt: inHours(-1) });
  const page = await e2e.newPage({ as: d.participant.email, viewport: { width: 1280, height: 800 } });
  await page.goto(d.url);
  await expect.poll(() => page.getByTestId('period-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('closed');
  expect(await page.getByTestId('comments-closed').count()).toBe(1);
  expect(await page.locator('button:disabled').count()).toBe(0);
  expect(await page.getByRole('button', { name: /^Comment on/ }).count()).toBe(0);
  expect(await section(page, '7.1').getByTestId('clause-closed').textContent()).toBe('Comments on clause 7.1 are closed.');
  expect(await page.getByTestId('clause-closed').count()).toBe(d.revision.clauses.length + 1);
  expect(await axeViolations(page)).toEqual([]);
  expect(e2e.problems).toEqual([]);
});

test('compare shows block by block with words within blocks, and links each change to the comments it resolves', async () => {
  const d = await seedDocument();
  // A comment on 7.1 in revision 1, which revision 2 answers.
  const commented = await e2e.app.inject({
    method: 'POST',
    url: `/api/groups/${d.group.slug}/documents/${d.document.id}/revisions/1/comments`,
    headers: d.participantSession.headers,
    payload: { clauseId: d.clause('7.1').id, type: 'technical', body: 'Name the extraction of keys.' },
  });
  expect(commented.statusCode, commented.body).toBe(201);
  const source = SEED_MD.replace('Recommendation ITU-T Y.2066,', 'Recommendation ITU-T Y.2067,').replace(
    'make several of these threats trivial',
    'make several of these threats, and the extraction of keys, trivial',
  );
  expect(source).not.toBe(SEED_MD);
  const second = await postMarkdownRevision(e2e.app, d.group.slug, d.document.id, d.convener, source, 'Second draft');
  // Its disposition, accepted and implemented in revision 2 (what the board records).
  await e2e.app.prisma.disposition.create({
    data: {
      commentId: commented.json().id,
      documentId: d.document.id,
      code: 'ACCEPTED',
      status: 'PROPOSED',
      proposedAt: new Date(),
      updatedAt: new Date(),
      implementedInRevisionId: second.id,
    },
  });
  const page = await e2e.newPage({ as: d.participant.email, viewport: { width: 1280, height: 800 } });
  await page.goto(`${d.url}/compare?from=1&to=2`);
  const entries = page.getByTestId('compare-entry');
  await entries.first().waitFor({ timeout: 10_000 });
  // A token is a word with its punctuation: "Y.2066," becomes "Y.2067,", not "2066" becomes "2067".
  const references = entries.filter({ hasText: 'References' });
  expect(await references.locator('del').allTextContents()).toEqual(['[deleted: Y.2066,]']);
  expect(await references.locator('ins').allTextContents()).toEqual(['[inserted: Y.2067,]']);
  // Blocks: only the changed block is shown as changed, the clause's other paragraphs stay apart.
  const threats = entries.filter({ hasText: 'Security threats for sensor/devices' });
  const blocks = threats.getByTestId('diff-block');
  expect(await blocks.count()).toBeGreaterThan(1);
  expect(await threats.locator('[data-testid="diff-block"][data-op="changed"]').count()).toBe(1);
  // The comment whose disposition revision 2 implements there, linked where it was made.
  expect(await threats.getByTestId('compare-resolves').textContent()).toContain('Accepted');
  const link = threats.getByRole('link', { name: /#1/ });
  expect(await link.getAttribute('href')).toBe(`${d.url}/revisions/1#comment-1`);
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, 'compare-blocks');
  expect(e2e.problems).toEqual([]);
});
