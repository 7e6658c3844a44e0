// A Member State consultation in real Chromium: a focal point answers Annex 2 for five drafts
// (one with reasons), the secretariat follows who answered before the deadline and reads the
// outcome after it; the new screens are checked with axe.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations, startE2E, type E2E } from './lib/harness.ts';
import { consultationScene } from '../helpers/consultations.ts';

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

    const secretariat = await e2e.newPage({ as: s.cast.convener.email });
    await secretariat.goto(url);
    const tally = secretariat.getByTestId('tally');
    await tally.getByRole('table').waitFor();
    // Before the deadline: who answered, never how.
    expect(await tally.textContent()).toContain(`Administration ${s.codes.b}`);
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
});
