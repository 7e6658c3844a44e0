// The browser client in real Chromium: sign-in through the mailed link, group home, invitations,
// languages (French, Arabic right-to-left), keyboard-only use, axe-core on every screen, and
// API errors shown where they happened. Screenshots go to test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { unique } from '../helpers/app.ts';
import { createUser } from '../helpers/factories.ts';
import { axeViolations, screenshot, startE2E, type E2E } from './lib/harness.ts';
import { createLiveGroup, createOperator } from './lib/fixtures.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 90_000);
afterAll(async () => {
  await e2e?.close();
});

const heading = (page: Page) => page.locator('h1');
const activeElement = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName.toLowerCase(), text: el?.textContent?.trim() ?? '', outline: el ? getComputedStyle(el).outlineStyle : 'none' };
  });

describe('signing in', () => {
  test('a member signs in with the link the operator reads in the local mailbox, and lands on the group', async () => {
    const { group, participant } = await createLiveGroup(e2e.app);
    const operator = await createOperator(e2e.app);
    const member = await e2e.newPage();
    await member.goto(`/groups/${group.slug}`);
    await expect.poll(() => heading(member).textContent()).toBe('Sign in');
    await screenshot(member, 'sign-in');
    await member.getByLabel('E-mail address').fill(participant.email);
    await member.getByRole('button', { name: 'E-mail me a sign-in link' }).click();
    await member.getByTestId('sign-in-sent').waitFor();

    const desk = await e2e.newPage({ as: operator.email });
    await desk.goto('/mailbox');
    await desk.getByLabel('Recipient contains').fill(participant.email);
    await desk.getByRole('button', { name: 'Filter' }).click();
    await desk.getByRole('link', { name: 'Your Convene sign-in link' }).first().click();
    const text = await desk.getByTestId('mail-text').textContent();
    await expect.poll(() => desk.locator('iframe.mail-frame').getAttribute('sandbox')).toBe('');
    await screenshot(desk, 'mailbox-message');
    const link = /https?:\/\/\S+\/sign-in\/verify\?token=[\w-]+/.exec(text ?? '')?.[0];
    expect(link, 'the mail carries a sign-in link').toBeTruthy();

    await member.goto(link!);
    await member.getByRole('button', { name: 'Sign in' }).click();
    await member.waitForURL(`**/groups/${group.slug}`);
    await expect.poll(() => heading(member).textContent()).toBe(group.name);
    expect(e2e.problems).toEqual([]);
  });

  test("a malformed address gets the server's sentence next to the field, and the typed text stays", async () => {
    const page = await e2e.newPage();
    await page.goto('/sign-in');
    const field = page.getByLabel('E-mail address');
    await field.fill('not an address');
    await page.getByRole('button', { name: 'E-mail me a sign-in link' }).click();
    const error = page.locator('.field-error');
    await expect.poll(() => error.textContent()).toMatch(/email: must be an e-mail address/);
    expect(await field.inputValue()).toBe('not an address');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toContain(await error.getAttribute('id'));
  });
});

describe('group home', () => {
  test("shows the current phase, a live countdown to the next deadline in the viewer's zone with UTC, terms and members", async () => {
    const { group, participant, convener } = await createLiveGroup(e2e.app);
    const page = await e2e.newPage({ as: participant.email, timezoneId: 'Asia/Tokyo' });
    await page.goto(`/groups/${group.slug}`);
    await expect.poll(() => page.getByTestId('current-phase').textContent()).toBe('Comment period open');
    const first = await page.getByTestId('countdown').textContent();
    expect(first).toMatch(/^2 days, 4 hr, 59 min, \d+ sec$/);
    await expect.poll(() => page.getByTestId('countdown').textContent(), { timeout: 3000 }).not.toBe(first);
    const timeframe = page.locator('section.timeframe');
    expect(await timeframe.textContent()).toContain('GMT+9');
    expect(await timeframe.textContent()).toContain('UTC');
    expect(await timeframe.textContent()).toContain('Asia/Tokyo');
    expect(await page.locator('.timeline-item[aria-current="step"] .timeline-kind').textContent()).toBe('Draft posted');
    expect(await page.getByTestId('terms-of-reference').textContent()).toContain('reports to SG17');
    const members = await page.locator('.member-list').textContent();
    expect(members).toContain(convener.name);
    expect(members).toContain('SG17 / Testland');
    expect(members, 'participants never see addresses').not.toContain('@');
    await screenshot(page, 'group-home');
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('members and invitations', () => {
  test('a convener invites a pasted list and sees the per-address summary, the malformed address flagged and kept for correction', async () => {
    const { group, convener } = await createLiveGroup(e2e.app);
    const page = await e2e.newPage({ as: convener.email });
    await page.goto(`/groups/${group.slug}/members`);
    const a = `${unique('ada')}@example.test`;
    const b = `${unique('bo')}@example.test`;
    await page.getByLabel('Addresses to invite').fill(`Ada Lovelace <${a}>\nnot-an-address\nBo Diddley, SG20 / Testland, ${b}`);
    await page.getByRole('button', { name: 'Send invitations' }).click();
    const summary = page.getByTestId('invite-summary');
    await summary.waitFor();
    expect(await summary.locator('tr[data-outcome="ok"]').count()).toBe(2);
    const failed = summary.locator('tr[data-outcome="failed"]');
    expect(await failed.count()).toBe(1);
    expect(await failed.textContent()).toContain('not-an-address');
    expect(await failed.textContent()).toMatch(/Not invited: .*not-an-address/);
    expect(await page.getByLabel('Addresses to invite').inputValue()).toBe('not-an-address');
    await expect.poll(() => page.locator('table.members').textContent()).toContain('Ada Lovelace');
    await expect.poll(() => page.getByTestId('announcer').textContent()).toMatch(/invited/i);
    await screenshot(page, 'members-invitations');
    expect(await axeViolations(page)).toEqual([]);
  });

  test('a convener changes a role and removes a member; the table follows', async () => {
    const { group, convener, observer, editor } = await createLiveGroup(e2e.app);
    const page = await e2e.newPage({ as: convener.email });
    await page.goto(`/groups/${group.slug}/members`);
    await page.getByLabel(`Role of ${observer.name}`).selectOption('participant');
    await page.getByRole('button', { name: `Save role: ${observer.name}` }).click();
    await expect.poll(() => page.getByTestId('announcer').textContent()).toBe(`${observer.name} is now Participant.`);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Remove: ${editor.name}` }).click();
    await expect.poll(() => page.locator('table.members tbody tr').count()).toBe(3);
    expect(await e2e.app.prisma.membership.count({ where: { groupId: group.id, userId: editor.id } })).toBe(0);
    const membership = await e2e.app.prisma.membership.findFirst({ where: { groupId: group.id, userId: observer.id } });
    expect(membership?.role).toBe('PARTICIPANT');
  });
});

describe('languages', () => {
  test('French: the interface switches in place, dates follow, and the choice is saved to the profile', async () => {
    const { group, participant } = await createLiveGroup(e2e.app);
    const page = await e2e.newPage({ as: participant.email });
    await page.goto(`/groups/${group.slug}`);
    await page.getByRole('button', { name: 'Français' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.getByTestId('current-phase').textContent()).toBe('Période de commentaires ouverte');
    expect(await page.getByTestId('countdown').textContent()).toMatch(/^2\sj,?\s4\sh/u);
    expect(await page.locator('nav').textContent()).toContain('Mes groupes');
    await expect.poll(async () => (await e2e.app.prisma.user.findUniqueOrThrow({ where: { id: participant.id } })).locale).toBe('fr');
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { name: 'Calendrier', exact: true }).count()).toBe(1);
    await screenshot(page, 'group-home-fr');
    expect(await axeViolations(page)).toEqual([]);
  });

  test('Arabic: the layout is right-to-left and the chrome is in Arabic; signed out, the choice is remembered by the browser', async () => {
    const { group, participant } = await createLiveGroup(e2e.app);
    const page = await e2e.newPage({ as: participant.email });
    await page.goto(`/groups/${group.slug}`);
    await page.getByRole('button', { name: 'العربية' }).click();
    await expect.poll(() => page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('ar');
    expect(await page.locator('nav').textContent()).toContain('مجموعاتي');
    // Mirrored: the brand sits at the right edge, the timeline's rail on the right of its items.
    const brand = (await page.locator('.brand').boundingBox())!;
    expect(brand.x).toBeGreaterThan(600);
    const rail = await page.locator('.timeline').evaluate((el) => getComputedStyle(el).borderRightWidth);
    expect(rail).toBe('3px');
    await screenshot(page, 'group-home-ar');
    expect(await axeViolations(page)).toEqual([]);

    const visitor = await e2e.newPage();
    await visitor.goto('/sign-in');
    await visitor.getByRole('button', { name: 'العربية' }).click();
    await visitor.reload();
    await expect.poll(() => visitor.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await heading(visitor).textContent()).toBe('تسجيل الدخول');
    await screenshot(visitor, 'sign-in-ar');
  });
});

describe('keyboard only', () => {
  test('skip link, main navigation, group, members and profile are reachable and operable with visible focus', async () => {
    const { group, convener } = await createLiveGroup(e2e.app);
    const page = await e2e.newPage({ as: convener.email });
    await page.goto('/');
    await heading(page).waitFor();
    await page.keyboard.press('Tab');
    expect(await activeElement(page)).toMatchObject({ tag: 'a', text: 'Skip to main content' });
    expect((await activeElement(page)).outline).not.toBe('none');
    await page.keyboard.press('Enter');
    expect((await activeElement(page)).tag).toBe('main');

    // Into the group: Tab until its link, Enter; the new page's heading takes focus.
    await tabUntil(page, group.name);
    await page.keyboard.press('Enter');
    await expect.poll(async () => activeElement(page)).toMatchObject({ tag: 'h1', text: group.name });

    await tabUntil(page, 'Members and invitations');
    await page.keyboard.press('Enter');
    await expect.poll(async () => activeElement(page)).toMatchObject({ tag: 'h1', text: 'Members and invitations' });
    await tabUntil(page, 'Addresses to invite', 'label');
    await page.keyboard.type(`${unique('kb')}@example.test`);
    await page.keyboard.press('Tab'); // the role
    await page.keyboard.press('Tab'); // the button
    expect((await activeElement(page)).text).toBe('Send invitations');
    await page.keyboard.press('Enter');
    await page.getByTestId('invite-summary').waitFor();

    await page.keyboard.press('Shift+Tab');
    await tabUntil(page, 'My profile');
    await page.keyboard.press('Enter');
    await expect.poll(async () => activeElement(page)).toMatchObject({ tag: 'h1', text: 'My profile' });
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('name');
    await page.keyboard.press('End');
    await page.keyboard.type(' (kb)');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('announcer').textContent()).toBe('Your profile was saved.');
    expect((await e2e.app.prisma.user.findUniqueOrThrow({ where: { id: convener.id } })).name).toBe(`${convener.name} (kb)`);
    await screenshot(page, 'profile');
  });
});

/** Presses Tab until the focused element's text (or its label) is `text`; fails after 60 stops. */
async function tabUntil(page: Page, text: string, by: 'text' | 'label' = 'text') {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const found = await page.evaluate(
      ({ text, by }) => {
        const el = document.activeElement as HTMLElement | null;
        if (!el) return false;
        if (by === 'label') return (el as HTMLInputElement).labels?.[0]?.textContent?.trim() === text;
        return el.textContent?.trim() === text;
      },
      { text, by },
    );
    if (found) return;
  }
  throw new Error(`Tab never reached "${text}"`);
}

describe('every screen', () => {
  test('axe-core finds no violations on sign-in, my groups, group home, members, profile, mailbox and a message, and the CSP blocks nothing', async () => {
    const { group, convener } = await createLiveGroup(e2e.app);
    const operator = await createOperator(e2e.app);
    const outsider = await createUser(e2e.app);
    await e2e.app.prisma.membership.create({ data: { groupId: group.id, userId: operator.id, role: 'OBSERVER' } });
    const visitor = await e2e.newPage();
    await visitor.goto('/sign-in');
    await heading(visitor).waitFor();
    expect(await axeViolations(visitor), 'sign-in').toEqual([]);

    const page = await e2e.newPage({ as: convener.email });
    const screens: [string, string, string][] = [
      ['/', group.name, 'groups'],
      [`/groups/${group.slug}`, 'Timeframe', 'group-home-convener'],
      [`/groups/${group.slug}/members`, 'Invite people', 'members'],
      ['/me', 'Where you are signed in', 'profile-sessions'],
      ['/nowhere', 'Page not found', 'not-found'],
    ];
    for (const [url, waitFor, name] of screens) {
      await page.goto(url);
      await page.getByText(waitFor).first().waitFor();
      expect(await axeViolations(page), name).toEqual([]);
      await screenshot(page, name);
    }

    const desk = await e2e.newPage({ as: operator.email });
    await e2e.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: outsider.email } });
    await e2e.app.ctx.events.drain();
    await desk.goto('/mailbox');
    await desk.locator('table.mailbox').waitFor();
    expect(await axeViolations(desk), 'mailbox').toEqual([]);
    await screenshot(desk, 'mailbox');
    await desk.locator('table.mailbox a').first().click();
    await desk.getByTestId('mail-text').waitFor();
    expect(await axeViolations(desk), 'mail message').toEqual([]);
    expect(e2e.problems).toEqual([]);
  }, 45_000); // eight screens, each through axe: about 10 s on a quiet machine, twice that when it is loaded

  test('sign out everywhere ends every session and returns to the sign-in page', async () => {
    const user = await createUser(e2e.app);
    const page = await e2e.newPage({ as: user.email });
    await page.goto('/me');
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL('**/sign-in');
    expect(await heading(page).textContent()).toBe('Sign in');
    expect(await e2e.app.prisma.session.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
  });
});
