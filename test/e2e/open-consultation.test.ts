// In real Chromium, the convener writes the public page's introduction and the questions on the
// manage screen (add, edit each kind, reorder, remove; read-only once answered), then a member of
// the public goes from the consultation link to a posted comment and answered questions: reads the draft without an account, asks for the link, opens it from the
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
  test('the convener sets the introduction and questions on the manage screen; a respondent goes from the link to a posted comment and answered questions; axe clean, also at 375 px', async () => {
    const { app } = e2e;
    const cast = await createCastedGroup(app);
    const convener = await signIn(app, cast.convener.email);
    const doc = await postDocument(app, cast.group.slug, convener, 'IoT security by design: draft report');
    const rev = await postMarkdownRevision(app, cast.group.slug, doc.id, convener);
    const period = await openPeriodApi(app, cast.group.slug, doc.id, convener, 1, inHours(-1), inHours(48));

    // The convener opens the period to anyone and writes the introduction and the questions on the
    // manage screen: adds four, edits one into each kind, moves one up, removes one.
    const manage = await e2e.newPage({ as: cast.convener.email });
    await manage.goto(`/groups/${cast.group.slug}/documents/${doc.id}/periods/${period.id}/consultation`);
    await manage.getByLabel('Openness', { exact: true }).selectOption('anyone');
    await manage.getByLabel('Outside comments appear', { exact: true }).selectOption('immediate');
    await manage.getByLabel('Introduction on the public page').fill('Anyone may comment on the conclusions and recommendations.');
    await manage.getByLabel('Show the members’ comments on the public page').check();
    await manage.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(async () => (await app.prisma.commentPeriod.findUniqueOrThrow({ where: { id: period.id } })).openness).toBe('ANYONE');
    const question = (n: number) => manage.getByRole('group', { name: `Question ${n}`, exact: true });
    const drafts: [string, string, string[]][] = [
      ['A question to drop', 'free_text', []],
      ['What is missing from the draft?', 'free_text', []],
      ['Which layer needs the most attention?', 'single_choice', ['Devices', 'Network', 'Platforms']],
      ['Which measures apply?', 'multiple_choice', ['Labels', 'Updates']],
    ];
    for (const [i, [prompt, kind, choices]] of drafts.entries()) {
      await manage.getByRole('button', { name: 'Add a question' }).click();
      const q = question(i + 1);
      await q.getByLabel('Question', { exact: true }).fill(prompt);
      await q.getByLabel('Answered', { exact: true }).selectOption(kind);
      for (const [c, choice] of choices.entries()) {
        if (c >= 2) await q.getByRole('button', { name: `Add an option to question ${i + 1}` }).click();
        await q.getByLabel(`Option ${c + 1}`, { exact: true }).fill(choice);
      }
    }
    await manage.getByRole('button', { name: 'Move question 3 up' }).click();
    await manage.getByRole('button', { name: 'Remove question 1' }).click();
    expect(await manage.getByTestId('question-draft').count()).toBe(3);
    expect(await axeViolations(manage), 'convener, manage screen').toEqual([]);
    await manage.getByRole('button', { name: 'Save the questions' }).click();
    await eventually(async () =>
      (await app.prisma.consultationQuestion.findMany({ where: { periodId: period.id }, orderBy: { position: 'asc' } })).map((q) => [
        q.prompt,
        q.kind,
        q.choices,
      ]),
    ).toEqual([
      ['Which layer needs the most attention?', 'SINGLE_CHOICE', ['Devices', 'Network', 'Platforms']],
      ['What is missing from the draft?', 'FREE_TEXT', []],
      ['Which measures apply?', 'MULTIPLE_CHOICE', ['Labels', 'Updates']],
    ]);
    expect(await app.prisma.commentPeriod.findUniqueOrThrow({ where: { id: period.id } })).toMatchObject({
      publishMemberComments: true,
      outsideModeration: 'IMMEDIATE',
      consultationIntro: 'Anyone may comment on the conclusions and recommendations.',
    });
    await screenshot(manage, 'open-consultation-manage');

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

    // Answered: the convener's screen shows the questions as asked, with no way to change them.
    await manage.reload();
    await manage.getByTestId('questions-locked').waitFor();
    expect(await manage.getByRole('button', { name: 'Save the questions' }).count()).toBe(0);
    expect(e2e.problems).toEqual([]);
  }, 60_000);
});
