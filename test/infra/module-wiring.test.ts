// The modules wire themselves up (each index.ts registers its socket events, subscribers and jobs):
// a module that forgets one is caught here, not by the first member whose view stays stale.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, signIn } from '../helpers/factories.ts';
import { closeAllSockets, connect, listen, record, subscribe, waitFor } from '../helpers/sockets.ts';
import type { RealtimeTable } from '../../server/modules/realtime/realtime.registry.ts';

// Every module's socket events, as it declares them in its own <domain>.realtime.ts.
const MODULES_DIR = fileURLToPath(new URL('../../server/modules/', import.meta.url));
const realtimeFiles = readdirSync(MODULES_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(path.join(MODULES_DIR, d.name))
      .filter((f) => f.endsWith('.realtime.ts'))
      .map((f) => path.join(MODULES_DIR, d.name, f)),
  );
const isTable = (value: unknown): value is RealtimeTable =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).length > 0 &&
  Object.values(value).every((row: unknown) => typeof row === 'object' && row !== null && 'stream' in row && 'present' in row && 'read' in row);
const declared: [file: string, event: string, row: unknown][] = [];

// What clients follow live: a row lost from a module's table (not only its registration) fails too.
const LIVE_EVENTS = [
  'comments.created',
  'comments.imported',
  'comments.updated',
  'comments.withdrawn',
  'dispositions.assigned',
  'dispositions.deadline_set',
  'dispositions.drafted',
  'dispositions.finalised',
  'dispositions.implemented',
  'dispositions.proposed',
  'dispositions.responded',
  'documents.created',
  'documents.published',
  'groups.updated',
  'members.invited',
  'members.removed',
  'members.role_changed',
  'milestones.changed',
  'milestones.reached',
  'periods.closed',
  'periods.created',
  'periods.extended',
  'revisions.posted',
];

// Durable subscribers (notifications, reminders): one queue each, named `event.<event>.<subscriber>`.
const DURABLE_QUEUES = [
  'event.comments.created.notify-thread',
  'event.digests.reminder_sent.notify-period-closing',
  'event.dispositions.deadline_set.schedule-reminder',
  'event.dispositions.finalised.notify-commenter',
  'event.dispositions.proposed.notify-commenter',
];

// The modules' own job queues (besides the durable subscribers' and the mail queue's).
const MODULE_QUEUES = [
  'milestone-fire',
  'milestone-reminder',
  'digest-deliver',
  'notification-send',
  'notification-daily',
  'disposition-response-reminder',
  'realtime.prune',
  'rate-limits.prune',
];

let app: TestApp;
let url: string;

beforeAll(async () => {
  for (const file of realtimeFiles) {
    const exports = (await import(file)) as Record<string, unknown>;
    for (const table of Object.values(exports).filter(isTable))
      for (const [event, row] of Object.entries(table)) declared.push([path.relative(MODULES_DIR, file), event, row]);
  }
  app = await createTestApp();
  url = await listen(app);
});
afterAll(async () => {
  closeAllSockets();
  await app.close();
});

describe('modules wired up by their own index.ts', () => {
  it('registers every socket event a module declares in its <domain>.realtime.ts, with that very row, and no other', () => {
    expect(realtimeFiles.length).toBeGreaterThanOrEqual(6);
    const registered = app.realtime.events as Record<string, unknown>;
    for (const [file, event, row] of declared) expect(registered[event], `${event} (${file}) is not registered as declared`).toBe(row);
    expect(Object.keys(registered).sort()).toEqual([...new Set(declared.map(([, event]) => event))].sort());
    expect(Object.keys(registered).sort()).toEqual([...LIVE_EVENTS].sort());
  });

  it('registers the durable subscribers of the modules, and the after-commit one that raises outstanding objections', () => {
    const subscriptions = app.ctx.events.subscriptions();
    expect(
      subscriptions
        .filter((s) => s.kind === 'durable')
        .map((s) => s.queue)
        .sort(),
    ).toEqual([...DURABLE_QUEUES].sort());
    expect(subscriptions.filter((s) => s.kind === 'after-commit').map((s) => s.event)).toContain('periods.created');
  });

  it('creates the queues of every job and durable subscriber the modules define', async () => {
    const queues = (await app.jobs.boss.getQueues()).map((q) => q.name);
    for (const name of [...MODULE_QUEUES, ...DURABLE_QUEUES]) expect(queues, name).toContain(name);
  });

  it('fills the digest sources of the milestones from the modules that own them (periods, dispositions)', () => {
    for (const name of ['revision', 'commentCounts', 'convenersDraft', 'finalReport'] as const) expect(app.digestSources.has(name), name).toBe(true);
  });

  it("delivers a group's own events (settings changed, member invited) to a member following the group", async () => {
    const { group, convener, participant } = await createCastedGroup(app);
    const [conv, part] = await Promise.all([signIn(app, convener.email), signIn(app, participant.email)]);
    const socket = await connect(url, { cookie: part.cookie });
    const received = record(socket);
    await subscribe(socket, { kind: 'group', id: group.slug });

    const patched = await app.inject({ method: 'PATCH', url: `/api/groups/${group.slug}`, headers: conv.headers, payload: { name: 'Renamed live' } });
    expect(patched.statusCode).toBe(200);
    const updated = await waitFor(() => received.find((r) => r.event === 'groups.updated'), 'groups.updated');
    expect(updated.payload.data.name).toBe('Renamed live');

    const invited = await app.inject({
      method: 'POST',
      url: `/api/groups/${group.slug}/invitations`,
      headers: conv.headers,
      payload: { invitees: [{ email: `new-${group.slug}@example.org`, name: 'New Member' }] },
    });
    expect(invited.statusCode).toBeLessThan(300);
    const member = await waitFor(() => received.find((r) => r.event === 'members.invited'), 'members.invited');
    expect(member.payload.data.member.name).toBe('New Member');
    expect(JSON.stringify(member.payload)).not.toContain('@example.org');
  });
});
