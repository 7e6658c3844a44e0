// The group home's calendar subscription in real Chromium: a participant gets a working private
// feed URL with the keyboard, copies it, and the page stays axe-clean; French and Arabic too.
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, screenshot, startE2E, type E2E } from './lib/harness.ts';
import { createLiveGroup } from './lib/fixtures.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 90_000);
afterAll(async () => {
  await e2e?.close();
});

/** What a calendar app does with the link: fetch it without any cookie, and parse it. */
async function fetchAsCalendarApp(url: string) {
  const res = await fetch(url);
  const text = await res.text();
  const events = res.ok ? new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v)) : [];
  return { status: res.status, type: res.headers.get('content-type'), events };
}

const focusedLabel = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el?.id ? (document.querySelector(`label[for="${el.id}"]`)?.textContent ?? el.textContent) : el?.textContent?.trim();
  });

describe('calendar subscription on the group home', () => {
  test('a participant subscribes with the keyboard, gets a working private link with a copy button, and axe stays clean', async () => {
    const { group, participant } = await createLiveGroup(e2e.app);
    const page = await e2e.newPage({ as: participant.email, permissions: ['clipboard-read', 'clipboard-write'] });
    await page.goto(`/groups/${group.slug}`);
    const subscribe = page.getByRole('button', { name: 'Subscribe to the timeframe calendar' });
    await subscribe.waitFor();
    expect(await axeViolations(page)).toEqual([]);

    // Keyboard only: focus the button, press Enter; focus lands on the link.
    await subscribe.focus();
    await page.keyboard.press('Enter');
    const field = page.getByLabel('Your subscription link');
    await expect.poll(() => focusedLabel(page)).toBe('Your subscription link');
    const url = await field.inputValue();
    expect(url).toMatch(new RegExp(`^${e2e.baseUrl}/calendar/[\\w-]{43}\\.ics$`));
    expect(await page.getByRole('link', { name: 'Open in my calendar app' }).getAttribute('href')).toBe(url.replace(/^http:/, 'webcal:'));
    expect(await page.getByTestId('calendar-link').textContent()).toContain('This link is personal');
    await expect.poll(() => page.getByTestId('announcer').textContent()).toBe('Your calendar subscription link is ready.');

    await page.keyboard.press('Tab');
    expect(await focusedLabel(page)).toBe('Copy link');
    await page.keyboard.press('Enter');
    await page.getByTestId('calendar-copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

    const feed = await fetchAsCalendarApp(url);
    expect(feed.status).toBe(200);
    expect(feed.type).toBe('text/calendar; charset=utf-8');
    const milestones = await e2e.app.prisma.milestone.findMany({ where: { groupId: group.id }, orderBy: { at: 'asc' } });
    // iCalendar counts whole seconds: a milestone's milliseconds are dropped (never rounded later).
    const seconds = (at: Date) => new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString();
    expect(feed.events.map((e) => [e.uid, e.startDate.toJSDate().toISOString()])).toEqual(milestones.map((m) => [`milestone-${m.id}@convene`, seconds(m.at)]));

    await screenshot(page, 'group-home-calendar');
    expect(await axeViolations(page)).toEqual([]);

    // After a reload the link is not shown again; resetting gives a new one and kills the old.
    await page.reload();
    await page.getByText(/You have a subscription link, issued/).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Reset link' }).click();
    await expect.poll(() => field.inputValue()).not.toBe(url);
    expect((await fetchAsCalendarApp(url)).status).toBe(404);
    expect((await fetchAsCalendarApp(await field.inputValue())).status).toBe(200);

    page.once('dialog', (dialog) => void dialog.accept());
    const fresh = await field.inputValue();
    await page.getByRole('button', { name: 'Stop the subscription' }).click();
    await expect.poll(() => focusedLabel(page)).toBe('Subscribe to the timeframe calendar');
    expect((await fetchAsCalendarApp(fresh)).status).toBe(404);
    expect(e2e.problems).toEqual([]);
  });

  test('reads in French and lays out right to left in Arabic, axe-clean', async () => {
    const { group, observer } = await createLiveGroup(e2e.app);
    await e2e.app.prisma.user.update({ where: { id: observer.id }, data: { locale: 'fr' } });
    // An observer: every role may subscribe.
    const page = await e2e.newPage({ as: observer.email, locale: 'fr-FR' });
    await page.goto(`/groups/${group.slug}`);
    await page.getByRole('button', { name: 'S’abonner au calendrier du groupe' }).click();
    await page.getByLabel('Votre lien d’abonnement').waitFor();
    expect(await page.getByTestId('calendar-link').textContent()).toContain('Ce lien est personnel');
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'العربية' }).click();
    await page.getByRole('button', { name: 'إعادة تعيين الرابط' }).waitFor();
    expect(await page.getByTestId('calendar-link').textContent()).toContain('هذا الرابط شخصي');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await screenshot(page, 'group-home-calendar-ar');
    expect(await axeViolations(page)).toEqual([]);
  });
});
