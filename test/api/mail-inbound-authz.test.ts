// Who may reach the mail intake's routes. The inbound log names senders' addresses: the operator's
// alone. The MTA pipe takes its bearer secret and nothing else (a member's session gives nothing);
// a refused call stores nothing.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { adjudicationScene, sceneSessions } from '../helpers/dispositions.ts';
import type { Session } from '../helpers/factories.ts';

const SECRET = 'authz-pipe-secret-0123456789abcdef';
let app: TestApp;
let sessions: Awaited<ReturnType<typeof sceneSessions>>;
beforeAll(async () => {
  app = await createTestApp({ env: { MAIL_INBOUND_SECRET: SECRET } });
  sessions = await sceneSessions(app, await adjudicationScene(app));
});
afterAll(async () => {
  await app.close();
});

type Actor = 'anonymous' | keyof typeof sessions;
const ACTORS: Actor[] = ['anonymous', 'observer', 'participant', 'editor', 'convener', 'otherConvener', 'outsider', 'operator'];
const sessionOf = (a: Actor): Session | null => (a === 'anonymous' ? null : sessions[a]);

describe('GET /api/admin/mail/inbound', () => {
  it.each(ACTORS)('%s: only the operator reads the inbound log', async (actor) => {
    const s = sessionOf(actor);
    const res = await app.inject({ method: 'GET', url: '/api/admin/mail/inbound', headers: s ? { cookie: s.cookie } : {} });
    if (actor === 'operator') {
      expect(res.statusCode).toBe(200);
      expect(Array.isArray(res.json().messages)).toBe(true);
    } else {
      expect(res.statusCode).toBe(actor === 'anonymous' ? 401 : 403);
      expect(res.json()).not.toHaveProperty('messages');
    }
  });
});

describe('POST /api/mail/inbound', () => {
  const raw = (id: string) => `From: someone@example.test\r\nTo: reply+x@localhost\r\nSubject: x\r\nMessage-ID: ${id}\r\n\r\nHello.\r\n`;

  it.each(ACTORS)('%s without the pipe secret is refused (401) and nothing is stored', async (actor) => {
    const s = sessionOf(actor);
    const id = `<authz-${randomBytes(6).toString('hex')}@example.test>`;
    const res = await app.inject({
      method: 'POST',
      url: '/api/mail/inbound',
      headers: { ...(s ? s.headers : {}), 'content-type': 'message/rfc822' },
      payload: raw(id),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'invalid_pipe_secret' });
    expect(await app.prisma.inboundMessage.count({ where: { messageId: id } })).toBe(0);
  });

  it('the MTA with the secret has its message stored (202); the same message again is a duplicate, stored once', async () => {
    const id = `<authz-${randomBytes(6).toString('hex')}@example.test>`;
    const send = () =>
      app.inject({
        method: 'POST',
        url: '/api/mail/inbound',
        headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'message/rfc822' },
        payload: raw(id),
      });
    expect((await send()).json()).toMatchObject({ duplicate: false });
    const again = await send();
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ duplicate: true });
    expect(await app.prisma.inboundMessage.findUniqueOrThrow({ where: { messageId: id } })).toMatchObject({ deliveries: 2 });
  });

  it('a body that is no message is a 4xx with a sentence', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/mail/inbound',
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'raw_message_expected' });
  });
});
