// The operator's inbound mail log in the browser: what became of each message that reached
// Convene, accepted and refused lines side by side with the reason and the sentence the sender was
// told, the filter by outcome, and the page clean for axe.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUser } from '../helpers/factories.ts';
import { axeViolations, startE2E, type E2E } from './lib/harness.ts';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

it('shows the operator accepted and refused messages with their reasons, filters them by outcome, and passes axe', async () => {
  const { app } = e2e;
  const operator = await createUser(app, { isOperator: true });
  const tag = randomBytes(4).toString('hex');
  const line = (outcome: string, extra: object) => ({
    messageId: `<${outcome}-${tag}@client.example.test>`,
    source: 'smtp',
    envelopeTo: [],
    raw: Buffer.from(''),
    processedAt: new Date(),
    fromAddress: `member-${tag}@example.test`,
    outcome,
    ...extra,
  });
  await app.prisma.inboundMessage.createMany({
    data: [
      line('accepted', {
        subject: `Accepted ${tag}`,
        detail: 'Your comment on clause 7.1 of "Key management" is recorded.',
        authentication: { by: 'mailauth', dkim: 'pass', spf: 'pass', dmarc: 'pass' },
      }),
      line('refused', {
        subject: `Late ${tag}`,
        reason: 'deadline_passed',
        detail: 'Your reply was not recorded: it was received after the deadline of what it answers.',
        deliveries: 2,
      }),
    ],
  });

  const page = await e2e.newPage({ as: operator.email });
  await page.goto('/admin/inbound-mail');
  const accepted = page.getByRole('row').filter({ hasText: `Accepted ${tag}` });
  const refused = page.getByRole('row').filter({ hasText: `Late ${tag}` });
  await expect.poll(() => accepted.count()).toBe(1);
  expect(await accepted.textContent()).toContain('Recorded');
  expect(await accepted.textContent()).toContain('is recorded.');
  expect(await accepted.textContent()).toContain('DKIM pass, SPF pass, DMARC pass');
  const refusedText = await refused.textContent();
  expect(refusedText).toContain('Refused');
  expect(refusedText).toContain('deadline_passed');
  expect(refusedText).toContain('received after the deadline');
  expect(refusedText).toContain('delivered 2 times');
  expect(await axeViolations(page)).toEqual([]);

  await page.getByLabel('Show').selectOption('refused');
  await expect.poll(() => accepted.count()).toBe(0);
  expect(await refused.count()).toBe(1);
  expect(e2e.problems).toEqual([]);
});
