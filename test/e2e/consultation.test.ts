// A Member State consultation in real Chromium: a focal point answers Annex 2 for five drafts
// (one with reasons), the secretariat follows who answered before the deadline and reads the
// outcome after it; a convener writes a work item and issues a consultation through the forms;
// the new screens are checked with axe.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations, startE2E, type E2E } from './lib/harness.ts';
import { consultationScene } from '../helpers/consultations.ts';
import { createCastedGroup } from '../helpers/factories.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 90_000);
afterAll(async () => {
  await e2e?.close();
});

describe('a Member State consultation', () => {
  test('a focal point answers for five drafts and the secretariat sees the tally, before and after the deadline', async () => {
    const s = await consultationScene(e2e.app, { draftCount: 5 });
    const url = `/groups/${s.slug}/consultations/${s.consultationId}`;

    const focal = await e2e.newPage({ as: s.focal.b.email });
    await focal.goto(url);
    const drafts = focal.getByTestId('draft-answer');
    await drafts.first().waitFor();
    expect(await drafts.count()).toBe(5);
    for (let i = 0; i < 5; i++) {
      const draft = drafts.nth(i);
      if (i === 2) {
        await draft.getByLabel('Does not assign authority', { exact: false }).check();
        await draft.getByLabel('Reasons for this opinion', { exact: false }).fill('Clause 7 omits misbehaviour reporting.');
      } else {
        await draft.getByLabel('Assigns authority', { exact: false }).check();
        await draft.getByLabel('No comments or suggested changes').check();
      }
    }
    await focal.getByLabel('Name', { exact: true }).fill('Jane Delegate');
    await focal.getByLabel('Official role or title').fill('Head of Standards');
    expect(await axeViolations(focal)).toEqual([]);
    await focal.getByRole('button', { name: 'Send the answers' }).click();
    await focal.getByText('Answered (version 1)', { exact: false }).first().waitFor();
    expect(await focal.getByText('Answered (version 1)', { exact: false }).count()).toBe(5);
    expect(await e2e.app.prisma.consultationAnswer.count({ where: { consultationId: s.consultationId } })).toBe(5);
    // Comments attached to the first draft's answer, a PDF.
    await drafts
      .first()
      .getByLabel('Attach comments (PDF or .docx)')
      .setInputFiles({ name: 'comments.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n%%EOF\n') });
    await drafts.first().getByRole('button', { name: 'Attach the file' }).click();
    await drafts.first().getByRole('link', { name: 'comments.pdf' }).waitFor();

    const secretariat = await e2e.newPage({ as: s.cast.convener.email });
    await secretariat.goto(url);
    const tally = secretariat.getByTestId('tally');
    await tally.getByRole('table').waitFor();
    // Before the deadline: who answered, never how.
    expect(await tally.textContent()).toContain(`Administration ${s.codes.b}`);
    expect(await secretariat.getByRole('link', { name: 'comments.pdf' }).count()).toBe(1);
    expect(await tally.getByText('Announced after the deadline', { exact: true }).count()).toBe(5);
    expect(await axeViolations(secretariat)).toEqual([]);

    await e2e.app.prisma.consultation.update({ where: { id: s.consultationId }, data: { deadline: new Date(Date.now() - 1000) } });
    await secretariat.reload();
    await tally.getByText('Results table (.docx)').waitFor();
    const rows = await tally.locator('tbody tr').allTextContents();
    expect(rows[0]).toContain('Meets the threshold');
    expect(rows[2]).toContain('Does not meet the threshold');
    expect(await tally.textContent()).toContain('Clause 7 omits misbehaviour reporting.');
    expect(await axeViolations(secretariat)).toEqual([]);

    await secretariat.goto(`/groups/${s.slug}/work-programme`);
    await secretariat.getByRole('table').waitFor();
    expect(await secretariat.locator('tbody tr').count()).toBe(5);
    await secretariat.getByRole('link', { name: 'X.1332 (X.sgsec-3)' }).click();
    await secretariat.getByRole('heading', { name: 'Status history' }).waitFor();
    expect(await axeViolations(secretariat)).toEqual([]);
    expect(e2e.problems).toEqual([]);
  });

  test('a convener adds a work item with an editor and its A.1 scope, edits it, determines it and issues a consultation through the forms', async () => {
    const cast = await createCastedGroup(e2e.app);
    const slug = cast.group.slug;
    const page = await e2e.newPage({ as: cast.convener.email });
    await page.goto(`/groups/${slug}/work-programme`);
    await page.getByRole('button', { name: 'New work item' }).click();
    const form = page.getByRole('form', { name: 'New work item' });
    await form.getByLabel('Work item name', { exact: false }).fill('X.iotsec-2');
    await form.getByLabel('Title', { exact: true }).fill('Security framework for IoT devices');
    await form.getByLabel('Question', { exact: true }).fill('6/17');
    await form.getByLabel('Member to add as editor').selectOption(cast.editor.id);
    await form.getByRole('button', { name: 'Add as editor' }).click();
    await form.getByLabel('Affiliation of Editor', { exact: false }).fill('Korea (Republic of)');
    await form.getByLabel('Scope', { exact: true }).fill('Security requirements for IoT devices and gateways.');
    expect(await axeViolations(page)).toEqual([]);
    await form.getByRole('button', { name: 'Add to the programme' }).click();
    await page.getByRole('heading', { name: 'X.iotsec-2 – Security framework for IoT devices' }).waitFor();
    const item = await e2e.app.prisma.workItem.findFirstOrThrow({ where: { groupId: cast.group.id }, include: { editors: true } });
    expect(item).toMatchObject({
      acronym: 'X.iotsec-2',
      question: '6/17',
      approvalProcess: 'TAP',
      scope: 'Security requirements for IoT devices and gateways.',
    });
    expect(item.editors.map((e) => [e.userId, e.affiliation])).toEqual([[cast.editor.id, 'Korea (Republic of)']]);
    await page.getByRole('button', { name: 'Edit the work item' }).click();
    const edit = page.getByRole('form', { name: 'Edit this work item' });
    await edit.getByLabel('Timing', { exact: true }).fill('2018-02');
    await edit.getByRole('button', { name: 'Save the changes' }).click();
    await page.getByText('2018-02', { exact: true }).waitFor();
    expect((await e2e.app.prisma.workItem.findUniqueOrThrow({ where: { id: item.id } })).timing).toBe('2018-02');

    for (const status of ['In progress', 'Determined']) {
      await page.getByLabel('New status').selectOption({ label: status });
      await page.getByRole('button', { name: 'Change status' }).click();
      await page.locator('.facts strong', { hasText: status }).waitFor();
    }
    await page.getByRole('button', { name: 'Issue a consultation' }).click();
    const issue = page.getByRole('form', { name: 'Issue a consultation' });
    await issue.getByLabel('Reference').fill('TSB Circular 999');
    await issue.getByLabel('Subject').fill('Member State consultation on determined draft Recommendation X.iotsec-2');
    expect(await issue.getByRole('checkbox', { name: 'X.iotsec-2 – Security framework for IoT devices' }).isChecked()).toBe(true);
    await issue.getByLabel('Code', { exact: true }).fill('CHE');
    await issue.getByLabel('Name of the Member State').fill('Switzerland');
    await issue.getByLabel('Focal points', { exact: true }).fill('Jana Focal <jana.focal@example.test>');
    expect(await axeViolations(page)).toEqual([]);
    await issue.getByRole('button', { name: 'Issue the consultation' }).click();
    await page.getByRole('heading', { name: 'TSB Circular 999' }).waitFor();
    const c = await e2e.app.prisma.consultation.findFirstOrThrow({
      where: { groupId: cast.group.id },
      include: { drafts: true, focalPoints: { include: { user: true } } },
    });
    expect(c).toMatchObject({ reference: 'TSB Circular 999', thresholdPercent: 70 });
    expect(c.drafts.map((d) => d.workItemId)).toEqual([item.id]);
    expect(c.focalPoints.map((f) => f.user.email)).toEqual(['jana.focal@example.test']);
    expect(c.deadline.getTime()).toBeGreaterThan(Date.now() + 59 * 86_400_000);
    expect(await axeViolations(page)).toEqual([]);
    expect(e2e.problems).toEqual([]);
  });
});
