// A member of the public in real Chromium, from the consultation link to a posted comment and
// answered questions: reads the draft without an account, asks for the link, opens it from the
// mailbox, says who they are, comments on a clause and answers the survey. axe-core on the page
// as an anonymous reader and as a respondent, at desktop width and at 375 px.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations, screenshot, startE2E, type E2E } from './lib/harness.ts';
import { createCastedGroup, latestLink, signIn } from '../helpers/factories.ts';
import { inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';
import { unique } from '../helpers/app.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 90_000);
afterAll(async () => {
  await e2e?.close();
});

const eventually = <T>(probe: () => T | Promise<T>, timeout = 10_000) => expect.poll(probe, { timeout });

describe('the public consultation page', () => {
  test('a respondent goes from the link to a posted comment and answered questions; the page is axe clean, also at 375 px', async () => {
    const { app } = e2e;
    const cast = await createCastedGroup(app);
    const convener = await signIn(app, cast.convener.email);
    const doc = await postDocument(app, cast.group.slug, convener, 'IoT security by design: draft report');
    const rev = await postMarkdownRevision(app, cast.group.slug, doc.id, convener);
    const period = await openPeriodApi(app, cast.group.slug, doc.id, convener, 1, inHours(-1), inHours(48));
    const set = await app.inject({
      method: 'PUT',
      url: `/api/groups/${cast.group.slug}/documents/${doc.id}/periods/${period.id}/openness`,
      headers: convener.headers,
      payload: {
        openness: 'anyone',
        outsideModeration: 'immediate',
        consultationIntro: 'Anyone may comment on the conclusions and recommendations.',
        questions: [
          { prompt: 'Which layer needs the most attention?', kind: 'single_choice', choices: ['Devices', 'Network', 'Platforms'] },
          { prompt: 'What is missing from the draft?', kind: 'free_text' },
        ],
      },
    });
    expect(set.statusCode, set.body).toBe(200);

    const page = await e2e.newPage();
    await page.goto(`/consult/${period.id}`);
    await page.getByRole('heading', { level: 1, name: 'IoT security by design: draft report' }).waitFor();
    expect(await page.getByTestId('consultation-deadline').textContent()).toMatch(/UTC/);
    expect(await page.getByText('Anyone may comment on the conclusions').count()).toBe(1);
    expect(await axeViolations(page), 'anonymous reader').toEqual([]);

    const email = `${unique('public')}@example.org`;
    await page.getByLabel('E-mail address', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'Send me the link' }).click();
    await page.getByTestId('link-sent').waitFor();
    // The link from the mail: the sign-in page confirms, then brings the respondent back here.
    await page.goto(await latestLink(app, email));
    await Promise.all([page.waitForURL(`**/consult/${period.id}`), page.locator('button[type="submit"]').click()]);

    await page.getByLabel('Name', { exact: true }).fill('Amina Diallo');
    await page.getByLabel('Organisation', { exact: true }).fill('Civic Tech Lab');
    await page.getByLabel('Stakeholder group', { exact: true }).selectOption('civil_society');
    await page.getByLabel('Country or economy').selectOption('SN');
    await page.getByLabel('Region', { exact: true }).selectOption('africa');
    await page.getByLabel('My name and organisation may be published with my comments').check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    const clause = rev.clauses.find((c) => c.number === '7.1')!;
    await page.getByLabel('Clause', { exact: true }).selectOption(clause.id);
    await page.getByLabel('Comment', { exact: true }).fill('Physical capture deserves its own countermeasure.');
    await page.getByLabel('Proposed change', { exact: true }).fill('Add tamper detection to 8.1.');
    await page.getByRole('button', { name: 'Send the comment' }).click();
    await eventually(() => page.getByTestId('published-comment').count()).toBe(1);
    expect(await page.getByTestId('published-comment').textContent()).toContain('Amina Diallo — Civic Tech Lab');

    await page.getByLabel('Network', { exact: true }).check();
    await page.getByLabel('What is missing from the draft?').fill('Supply-chain security.');
    await page.getByRole('button', { name: 'Save my answers' }).click();
    await eventually(async () => (await app.prisma.questionAnswer.findMany({ where: { question: { periodId: period.id } } })).length).toBe(2);
    expect(await page.getByTestId('my-comment').textContent()).toContain('Published');

    expect(await axeViolations(page), 'respondent, desktop').toEqual([]);
    await screenshot(page, 'open-consultation-respondent');
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await axeViolations(page), 'respondent, 375 px').toEqual([]);
    await screenshot(page, 'open-consultation-respondent-375');
    expect(e2e.problems).toEqual([]);
  }, 60_000);
});
