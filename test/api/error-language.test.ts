// Error sentences in the caller's language: their own setting when signed in, else Accept-Language,
// else English. The code and the details stay as they are; an English caller keeps the server's
// own sentence (it names the revision, the group's zone); the body says which language it is in.
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatInstant, translate } from '../../server/lib/i18n.ts';
import { validationKind } from '../../locales/error-keys.ts';
import { sessionCacheOf } from '../../server/modules/auth/session-cache.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { adjudicationScene, sessionFor, type Scene } from '../helpers/dispositions.ts';
import type { Session } from '../helpers/factories.ts';
import { closeAllSockets, listen, TEST_ORIGIN } from '../helpers/sockets.ts';

let app: TestApp;
let scene: Scene;
let participant: Session;

beforeAll(async () => {
  app = await createTestApp();
  scene = await adjudicationScene(app); // its comment period closed an hour ago
  participant = await sessionFor(app, scene.participant);
});
afterAll(async () => {
  closeAllSockets();
  await app.close();
});

/** '' stands for a user without a language setting (a stored value that is none of the six). */
async function setLocale(locale: string) {
  await app.prisma.user.update({ where: { id: scene.participant.id }, data: { locale } });
  sessionCacheOf(app.ctx).evictUser(scene.participant.id); // as the profile route does
}

/** A comment after the deadline, as the participant. */
const lateComment = (acceptLanguage?: string) =>
  app.inject({
    method: 'POST',
    url: `${scene.base}/revisions/1/comments`,
    headers: { ...participant.headers, ...(acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage }) },
    payload: { type: 'general', body: 'Too late, alas.' },
  });

/** A participant deciding a disposition: only conveners decide. */
const participantDecides = (acceptLanguage?: string) =>
  app.inject({
    method: 'PUT',
    url: `${scene.commentUrl(scene.comments.c1.id)}/disposition`,
    headers: { ...participant.headers, ...(acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage }) },
    payload: { disposition: 'accepted', expectedVersion: 0 },
  });

const closedAt = () => scene.period.closesAt.toISOString();

describe('server errors in the caller’s language', () => {
  it('writes a late comment’s refusal in French and in Arabic by Accept-Language, the deadline written for the language', async () => {
    await setLocale(''); // no setting of their own: Accept-Language decides
    const fr = await lateComment('fr-CH, fr;q=0.9, en;q=0.5');
    expect(fr.statusCode).toBe(409);
    expect(fr.json()).toMatchObject({ code: 'comment_period_closed', closesAt: closedAt() });
    expect(fr.json().message).toBe(`La période de commentaires a pris fin le ${formatInstant('fr', scene.period.closesAt)} ; rien n’a été enregistré.`);
    expect(fr.json().message).toMatch(/UTC/);
    expect(fr.headers['content-language']).toBe('fr');
    expect(String(fr.headers.vary)).toMatch(/accept-language/i);

    const ar = await lateComment('ar-EG,ar;q=0.9');
    expect(ar.statusCode).toBe(409);
    expect(ar.json()).toMatchObject({ code: 'comment_period_closed', closesAt: closedAt() });
    expect(ar.json().message).toBe(`أُغلقت فترة التعليقات في ${formatInstant('ar', scene.period.closesAt)}؛ لم يُحفظ شيء.`);
    expect(ar.headers['content-language']).toBe('ar');
    expect(await app.prisma.comment.count({ where: { body: 'Too late, alas.' } })).toBe(0);
  });

  it('refuses a participant’s decision in French and in Arabic, by Accept-Language and by the user’s setting, which wins', async () => {
    await setLocale('');
    const fr = await participantDecides('fr');
    expect(fr.statusCode).toBe(403);
    expect(fr.json()).toEqual({ code: 'forbidden', message: translate('fr', 'errors', 'forbidden') });
    expect(fr.json().message).toBe('Votre rôle dans ce groupe ne permet pas cette action.');

    await setLocale('ar');
    try {
      // The setting wins over the browser's header.
      const ar = await participantDecides('fr');
      expect(ar.statusCode).toBe(403);
      expect(ar.json()).toEqual({ code: 'forbidden', message: 'دورك في هذه المجموعة لا يسمح بذلك.' });
      expect(ar.headers['content-language']).toBe('ar');
      const late = await lateComment();
      expect(late.json().message).toBe(`أُغلقت فترة التعليقات في ${formatInstant('ar', scene.period.closesAt)}؛ لم يُحفظ شيء.`);
      await setLocale('fr');
      const setting = await participantDecides('ar');
      expect(setting.json().message).toBe('Votre rôle dans ce groupe ne permet pas cette action.');
      expect(setting.headers['content-language']).toBe('fr');
      // English chosen (the setting every account starts with) is English whatever the browser says.
      await setLocale('en');
      const english = await participantDecides('fr');
      expect(english.json().message).toBe('Only the conveners decide on comments; editors may draft a proposal for them.');
    } finally {
      await setLocale('');
    }
    expect(await app.prisma.disposition.count({ where: { commentId: scene.comments.c1.id } })).toBe(0);
  });

  it('keeps the server’s own English sentence for English, unknown languages and malformed headers, never erring', async () => {
    await setLocale('');
    const english = await lateComment('en-GB');
    expect(english.json().message).toMatch(/^The comment period on revision 1 closed at .+; nothing was stored\.$/);
    expect(english.headers['content-language']).toBe('en');
    const own = english.json().message;
    for (const header of ['de-DE, ja;q=0.8', 'xx', '', '*', ';;;,,', 'fr;q=abc', 'en-', '\u00e9t\u00e9', 'q=1;fr', 'a'.repeat(500), 'ar;q=0', '-;q=1, ,']) {
      const res = await lateComment(header);
      expect(res.statusCode, header).toBe(409);
      expect(res.json().message, header).toBe(own);
    }
    const forbidden = await participantDecides('de');
    expect(forbidden.json()).toEqual({ code: 'forbidden', message: 'Only the conveners decide on comments; editors may draft a proposal for them.' });
  });

  it('words validation errors by their kind, and a missing route, in the caller’s language', async () => {
    await setLocale('');
    const res = await app.inject({
      method: 'POST',
      url: `${scene.base}/revisions/1/comments`,
      headers: { ...participant.headers, 'accept-language': 'fr' },
      payload: { type: 'general', body: 'x'.repeat(30_000) },
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    const body = res.json();
    if (body.code === 'invalid_request') {
      const kind = validationKind(body.issue);
      expect(kind).not.toBeNull();
      expect(body.message).toBe(translate('fr', 'errors', `invalid_request.${kind}`, body.issue));
    } else {
      expect(body.message).toBe(translate('fr', 'errors', body.code, body));
    }
    expect(body.message).not.toMatch(/[a-z]+: /); // not the English "body.body: …" form
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/groups',
      headers: { ...participant.headers, 'accept-language': 'fr' },
      payload: { nope: 1 },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('invalid_request');
    expect(unknown.json().message).toBe(translate('fr', 'errors', `invalid_request.${validationKind(unknown.json().issue)}`, unknown.json().issue));
    const missing = await app.inject({ method: 'GET', url: '/api/no-such-route', headers: { 'accept-language': 'ar' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ code: 'not_found', message: translate('ar', 'errors', 'not_found') });
  });

  it('words each refused item of a batch too (an invitation nobody could receive)', async () => {
    const convener = await sessionFor(app, scene.convener);
    await app.prisma.user.update({ where: { id: scene.convener.id }, data: { locale: 'fr' } });
    sessionCacheOf(app.ctx).evictUser(scene.convener.id);
    const res = await app.inject({
      method: 'POST',
      url: `/api/groups/${scene.slug}/invitations`,
      headers: convener.headers,
      payload: { invitees: [{ email: 'broken' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'nobody_invited',
      message: translate('fr', 'errors', 'nobody_invited'),
      errors: [{ input: 'broken', code: 'invalid_email', message: translate('fr', 'errors', 'invalid_email') }],
    });
  });

  it('words a refused live-connection message in the language of the handshake', async () => {
    const url = await listen(app);
    const socket = io(`${url}/public`, {
      transports: ['websocket'],
      extraHeaders: { origin: TEST_ORIGIN, 'accept-language': 'fr' },
      forceNew: true,
      reconnection: false,
    });
    try {
      const answer = await socket.timeout(5_000).emitWithAck('subscribe', { kind: 'group', id: scene.slug });
      expect(answer).toEqual({ ok: false, code: 'not_public', message: translate('fr', 'errors', 'not_public') });
      expect(answer.message).not.toMatch(/Without signing in/);
    } finally {
      socket.close();
    }
    // A refused handshake (no session) too, in the browser's language.
    const anonymous = io(url, {
      transports: ['websocket'],
      extraHeaders: { origin: TEST_ORIGIN, 'accept-language': 'ar' },
      forceNew: true,
      reconnection: false,
    });
    try {
      const refusal = await new Promise<Error & { data?: { code?: string } }>((resolve, reject) => {
        anonymous.once('connect', () => reject(new Error('the connection was accepted')));
        anonymous.once('connect_error', resolve);
      });
      expect(refusal.data?.code).toBe('unauthenticated');
      expect(refusal.message).toBe(translate('ar', 'errors', 'unauthenticated'));
    } finally {
      anonymous.close();
    }
  });
});
