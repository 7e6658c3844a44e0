// The period-closed digest for 1,000 comments, rendered by the real template, read in Chromium
// at a phone's and a desktop's width: no sideways scrolling, readable text, under Gmail's clip.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBSCRIBER_NOTE } from '../../server/modules/digests/create-digest.ts';
import { countComments, periodClosedDigest } from '../../server/modules/digests/digest-content.ts';
import { createRenderer } from '../../server/plugins/mailer.ts';
import { thousandComments } from '../unit/digests/fixtures.ts';
import { launchChromium } from './lib/chromium.ts';
import { SCREENSHOT_DIR } from './lib/harness.ts';

let browser: Browser;
let html: string;
beforeAll(async () => {
  browser = await launchChromium();
  const render = await createRenderer();
  const group = { name: 'Correspondence Group on Security and Privacy for IoT', acronym: 'CG-IoTsec', slug: 'cg-iotsec', timeZone: 'Europe/Zurich' };
  const links = { groupUrl: 'https://convene.test/groups/cg-iotsec', archiveUrl: 'https://convene.test/groups/cg-iotsec/digests' };
  const view = periodClosedDigest({
    group,
    links,
    milestoneLabel: 'Document closed for adjudication',
    closedAt: new Date('2016-04-25T23:59:00Z'),
    counts: countComments(thousandComments()),
    next: null,
    url: links.groupUrl,
  });
  html = render('digest', { ...view, recipientNote: SUBSCRIBER_NOTE, unsubscribeUrl: 'https://convene.test/digests/unsubscribe?token=x' }).html;
  await mkdir(SCREENSHOT_DIR, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

describe('the period-closed digest in Chromium', () => {
  it('stays under 100 KB of HTML for 1,000 comments', () => {
    expect(Buffer.byteLength(html)).toBeLessThan(100 * 1024);
  });

  it.each([
    ['phone', 375, 740],
    ['desktop', 1280, 900],
  ] as const)('reads well at %s width (%i px): no sideways scrolling, text at least 13 px', async (name, width, height) => {
    const page = await browser.newPage({ viewport: { width, height }, javaScriptEnabled: false });
    try {
      await page.setContent(html, { waitUntil: 'load' });
      const layout = await page.evaluate(() => {
        const sizes = [...document.querySelectorAll('td, p, div, span, a')]
          // Visible leaf text only (MJML's hidden preview line is 1 px by design).
          .filter(
            (el) =>
              (el as HTMLElement).textContent?.trim() &&
              el.children.length === 0 &&
              el.getBoundingClientRect().height > 2 &&
              getComputedStyle(el).visibility === 'visible' &&
              getComputedStyle(el).opacity !== '0',
          )
          .map((el) => parseFloat(getComputedStyle(el).fontSize));
        return {
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
          smallest: Math.min(...sizes),
          texts: sizes.length,
          body: document.body.textContent,
        };
      });
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
      expect(layout.texts).toBeGreaterThan(10);
      expect(layout.smallest).toBeGreaterThanOrEqual(13);
      expect(layout.body).toContain('CG-IoTsec');
      expect(layout.body).toMatch(/1,?000/);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `digest-period-closed-${name}.png`), fullPage: false });
    } finally {
      await page.close();
    }
  });
});
