// E-mails in the reader's language, sent through a real SMTP server: the words come from the
// `emails` catalogue in the recipient's language (their setting), Arabic is laid out right to left,
// and the language is kept with the mail job so a retry writes in the same one.
import { readFileSync } from 'node:fs';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALES } from '../../locales/locales.ts';
import { IntlMessageFormat } from 'intl-messageformat';
import { createTestApp, randomIp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, createUser, signIn } from '../helpers/factories.ts';
import { addMilestone, createListGroup, until } from '../helpers/digests.ts';
import { inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';
import { notify, queueDailySummaries } from '../../server/modules/notifications/notify.ts';
import { translate, type Locale } from '../../server/lib/i18n.ts';
import { countComments, periodClosedDigest } from '../../server/modules/digests/digest-content.ts';
import { digestCopy } from '../../server/modules/digests/create-digest.ts';
import { thousandComments } from '../unit/digests/fixtures.ts';

let app: TestApp;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
  app = await createTestApp({ env: { SMTP_URL: sink.url } });
});
afterAll(async () => {
  await app?.close();
  await sink?.close();
});

const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address?.toLowerCase();
const mailsTo = (email: string) => sink.messages.filter((m) => to(m) === email);
const nthMailTo = (email: string, n = 1) => until(() => mailsTo(email)[n - 1], 20_000, `mail ${n} to ${email}`);
const t = (locale: Locale, key: string, vars?: Record<string, string | number>) => translate(locale, 'emails', key, vars);

async function personSpeaking(locale: Locale, name = 'Zoé <b>Ng</b>') {
  const user = await createUser(app, { name });
  await app.prisma.user.update({ where: { id: user.id }, data: { locale } });
  return user;
}

async function requestSignIn(email: string) {
  const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email }, remoteAddress: randomIp() });
  expect(res.statusCode).toBe(202);
}

/** The English sentences of a template's catalogue entries (and the shared ones), cut at their placeholders, that a translation must not keep. */
const ENGLISH = JSON.parse(readFileSync(new URL('../../locales/en/emails.json', import.meta.url), 'utf8')) as Record<string, string>;
function englishSentences(prefix: string): string[] {
  return Object.entries(ENGLISH)
    .filter(([key]) => key.startsWith(`${prefix}.`) || key.startsWith('common.'))
    .flatMap(([, text]) => text.split(/\{[^}]*\}/))
    .map((fragment) => fragment.trim())
    .filter((fragment) => fragment.length > 12);
}

/** A session through the real link flow, the link read from the SMTP sink. */
async function session(email: string) {
  return signIn(app, email, async () => {
    const count = mailsTo(email).length;
    await requestSignIn(email);
    const mail = await nthMailTo(email, count + 1);
    return mail.text!.match(/https?:\/\/\S+\/sign-in\/verify\?token=[\w%-]+/)![0];
  });
}

describe('personal mails in the recipient’s language', () => {
  it('writes a sign-in mail in French: subject, words and html lang, no English sentence left, the name escaped', async () => {
    const user = await personSpeaking('fr');
    await requestSignIn(user.email);
    const mail = await nthMailTo(user.email);
    expect(mail.subject).toBe('Votre lien de connexion à Convene');
    expect(mail.html).toMatch(/<html lang="fr" dir="ltr"/);
    expect(mail.headers.get('content-language')).toBe('fr');
    expect(mail.text).toContain('Bonjour Zoé <b>Ng</b>,');
    expect(mail.html).toContain('Bonjour <bdi>Zoé &#60;b&#62;Ng&#60;/b&#62;</bdi>,');
    expect(mail.html).not.toContain('<b>Ng');
    const english = englishSentences('signIn');
    expect(english.length).toBeGreaterThan(5);
    for (const sentence of english) {
      expect(mail.text, sentence).not.toContain(sentence);
      expect(mail.html, sentence).not.toContain(sentence);
    }
  });

  it('writes a sign-in mail in Arabic right to left: <html dir="rtl" lang="ar">, text aligned right, subject in Arabic', async () => {
    const user = await personSpeaking('ar', 'Wei Zhang');
    await requestSignIn(user.email);
    const mail = await nthMailTo(user.email);
    expect(mail.subject).toBe(t('ar', 'signIn.subject'));
    expect(mail.html).toMatch(/<html lang="ar" dir="rtl"/);
    expect(mail.html).toMatch(/text-align:right/);
    expect(mail.html).not.toMatch(/direction:ltr/);
    // Every block of text is aligned right (MJML's column wrapper keeps a left alignment that aligns nothing: its font size is 0).
    expect(mail.html).not.toMatch(/font-size:(?!0px)[^;]+;[^"]*text-align:left/);
    // The Latin name is isolated inside the Arabic sentence.
    expect(mail.html).toContain('مرحباً <bdi>Wei Zhang</bdi>،');
    expect(mail.text).toContain(t('ar', 'signIn.ignore'));
    for (const sentence of englishSentences('signIn')) expect(mail.text, sentence).not.toContain(sentence);
  });

  it('mails a notification in Chinese and one in Spanish to members with those languages, and a Russian daily summary with its plural', async () => {
    const zh = await personSpeaking('zh', 'Li Wei');
    const es = await personSpeaking('es', 'Ana');
    const ru = await personSpeaking('ru', 'Ivan');
    for (const user of [zh, es]) {
      await notify(app.ctx, 'comment_decided', user.id, { title: 'CG-X: 7.1', body: '…', url: 'https://convene.test/c/1' });
    }
    const zhMail = await nthMailTo(zh.email);
    expect(zhMail.text).toContain('Li Wei，您好：');
    expect(zhMail.text).toContain(t('zh', 'notification.settings', { settingsUrl: `${app.config.publicUrl}/settings/notifications` }));
    expect(zhMail.html).toContain('在 Convene 中打开');
    expect(zhMail.html).toMatch(/<html lang="zh" dir="ltr"/);
    const esMail = await nthMailTo(es.email);
    expect(esMail.text).toContain('Hola, Ana:');
    expect(esMail.html).toContain('Abrir en Convene');

    for (const n of [1, 2, 3, 4, 5]) {
      await notify(app.ctx, 'thread_reply', ru.id, { title: `Ответ ${n}`, body: '…', url: `https://convene.test/t/${n}` });
    }
    await queueDailySummaries(app.ctx);
    const ruMail = await nthMailTo(ru.email);
    // Russian "many" form for 5.
    expect(ruMail.subject).toBe('Ваша сводка Convene: 5 новостей');
    expect(ruMail.text).toContain('Здравствуйте, Ivan!');
  }, 30_000);

  it('keeps the language decided when the mail was queued through a retry', async () => {
    const user = await personSpeaking('ar', 'Amal');
    sink.refuseNext(1);
    await requestSignIn(user.email);
    // The reader changes their setting while the mail waits for its retry: the mail stays Arabic.
    await app.prisma.user.update({ where: { id: user.id }, data: { locale: 'en' } });
    const job = await app.prisma.$queryRawUnsafe<{ data: { locale: string } }[]>(
      `SELECT data FROM "${app.config.jobs.schema}".job WHERE name = 'mail' AND data->>'to' = $1`,
      user.email,
    );
    expect(job[0]?.data.locale).toBe('ar');
    const mail = await nthMailTo(user.email);
    expect(sink.refusedIds).toContain(mail.messageId);
    expect(mail.subject).toBe(t('ar', 'signIn.subject'));
    expect(mail.html).toMatch(/<html lang="ar" dir="rtl"/);
  }, 30_000);
});

describe('notices written in the member’s language', () => {
  it('tells a Russian-speaking commenter of a reply in their thread in Russian, subject included', async () => {
    const { group, convener, participant } = await createCastedGroup(app);
    await app.prisma.user.update({ where: { id: participant.id }, data: { locale: 'ru' } });
    await app.prisma.notificationSetting.create({ data: { userId: participant.id, kind: 'THREAD_REPLY', mode: 'IMMEDIATELY' } });
    const [asConvener, asParticipant] = [await session(convener.email), await session(participant.email)];
    const document = await postDocument(app, group.slug, asConvener);
    await postMarkdownRevision(app, group.slug, document.id, asConvener);
    await openPeriodApi(app, group.slug, document.id, asConvener, 1, inHours(-1), inHours(24));
    const base = `/api/groups/${group.slug}/documents/${document.id}`;
    const comment = await app.inject({
      method: 'POST',
      url: `${base}/revisions/1/comments`,
      headers: asParticipant.headers,
      payload: { clauseId: null, type: 'general', body: 'Добавить угрозы повторного воспроизведения.' },
    });
    expect(comment.statusCode, comment.body).toBe(201);
    const reply = await app.inject({
      method: 'POST',
      url: `${base}/comments/${comment.json().id}/replies`,
      headers: asConvener.headers,
      payload: { body: 'Agreed.' },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const mail = await until(() => mailsTo(participant.email).find((m) => m.subject?.includes(document.title)), 20_000, 'the reply notice');
    expect(mail.subject).toBe(`Convener ответил(а) в обсуждении по документу в целом документа ${document.title}`);
    expect(mail.text).toContain('Здравствуйте, Participant!');
    expect(mail.text).not.toContain('replied in a thread');
    // How to answer by mail, in Russian too (the reply address is this mail's Reply-To).
    expect(mail.text).toContain('Ответьте на это письмо, чтобы ответить в обсуждении');
    expect(mail.text).not.toContain('Reply to this e-mail');
  }, 30_000);
});

describe('digests in the group’s languages', () => {
  it('sends the list of a group working in French and English one mail: the French section first, then the English one', async () => {
    const { group, convener, listAddress, subscribers } = await createListGroup(app, { subscribers: 1 });
    await app.prisma.group.update({ where: { id: group.id }, data: { languages: ['fr', 'en'] } });
    // The subscriber has an account in English: their own copy leads with English.
    await app.prisma.user.create({ data: { email: subscribers[0]!, name: 'Subscriber', locale: 'en' } });
    await addMilestone(app, { group, actor: convener, inMs: 300, kind: 'comments_close', label: 'Clôture / Comments close' });
    const mail = await nthMailTo(listAddress.toLowerCase());
    expect(mail.subject).toBe(`[${group.acronym}] Période de commentaires close : 0 commentaire reçu`);
    expect(mail.html).toMatch(/<html lang="fr" dir="ltr"/);
    const french = mail.text!.indexOf('La période de commentaires est close');
    const english = mail.text!.indexOf('The comment period has closed');
    expect(french).toBeGreaterThanOrEqual(0);
    expect(english).toBeGreaterThan(french);
    expect(mail.text).toContain('Ce résumé dans d’autres langues : English');
    expect(mail.text).toContain('==== English ====');
    expect(mail.html).toContain('<div dir="ltr" lang="en"');
    expect(mail.text).toContain(t('fr', 'digests.listNote'));
    // The subscriber's own copy: English first, French after.
    const copy = await nthMailTo(subscribers[0]!);
    expect(copy.subject).toBe(`[${group.acronym}] Comment period closed: 0 comments received`);
    expect(copy.html).toMatch(/<html lang="en" dir="ltr"/);
    expect(copy.text!.indexOf('The comment period has closed')).toBeLessThan(copy.text!.indexOf('La période de commentaires est close'));
    expect(copy.text).toContain(t('en', 'digests.subscriberNote'));
    expect(copy.text).toContain('==== Français ====');
  }, 30_000);
});

describe('a digest with Arabic as its main language', () => {
  it('is laid out right to left with its Arabic plurals, the English section left to right inside it', () => {
    const group = { name: 'فريق المراسلة', acronym: 'CG-AR', slug: 'cg-ar', timeZone: 'Asia/Riyadh' };
    const links = { groupUrl: 'https://convene.test/groups/cg-ar', archiveUrl: 'https://convene.test/groups/cg-ar/digests' };
    const type = 'technical' as const;
    const counts = countComments([1, 2, 3].map((n) => ({ clause: String(n), clauseTitle: `Clause ${n}`, type, affiliation: 'A', replies: 0 })));
    const build = (locale: Locale) =>
      periodClosedDigest({ group, links, milestoneLabel: 'Comments close', closedAt: new Date('2027-03-01T17:00:00Z'), counts, next: null, url: null, locale });
    const { locale, props } = digestCopy(
      { view: build('ar'), locale: 'ar', translations: [{ locale: 'en', view: build('en') }], previousDigestId: null },
      { unsubscribeUrl: false, note: 'list' },
    );
    const mail = app.mailer.render('digest', props, locale);
    // Arabic "few" form for 3.
    expect(mail.subject).toBe('[CG-AR] أُغلقت فترة التعليقات: وردت 3 تعليقات');
    expect(mail.html).toMatch(/<html lang="ar" dir="rtl"/);
    expect(mail.html).toContain('<div dir="ltr" lang="en" style="text-align:left">');
    expect(mail.text).toContain('The comment period has closed');
    expect(mail.text).toContain(t('ar', 'digests.listNote'));
  });
});

describe('a digest in the six languages', () => {
  it('stays under 100 KB of HTML for a period closed with 1,000 comments (long tables whole in the first section only)', () => {
    const group = { name: 'ITU-T Study Group 17 – Security', acronym: 'SG17', slug: 'sg17', timeZone: 'Europe/Zurich' };
    const links = { groupUrl: 'https://convene.test/groups/sg17', archiveUrl: 'https://convene.test/groups/sg17/digests' };
    const counts = countComments(thousandComments());
    const build = (locale: Locale) =>
      periodClosedDigest({ group, links, milestoneLabel: 'Comments close', closedAt: new Date(), counts, next: null, url: null, locale });
    const [main, ...rest] = ['en', 'ar', 'zh', 'fr', 'ru', 'es'] as const;
    const stored = { view: build(main), locale: main, translations: rest.map((locale) => ({ locale, view: build(locale) })), previousDigestId: null };
    const { locale, props } = digestCopy(stored, { unsubscribeUrl: false, note: 'list' });
    const mail = app.mailer.render('digest', props, locale);
    expect(Buffer.byteLength(mail.html)).toBeLessThan(100_000);
    expect(mail.text).toContain(t('fr', 'digests.moreInFirstSection', { count: 30 }));
    for (const other of rest) expect(mail.text).toContain(t(other, 'digests.periodClosed.headline'));
  });
});

describe('a group’s working languages', () => {
  it('are set by a convener (main first), refused with a sentence when unknown or repeated, and not by a participant', async () => {
    const { group, convener, participant } = await createCastedGroup(app);
    const url = `/api/groups/${group.slug}`;
    const convenerSession = await session(convener.email);
    const set = await app.inject({ method: 'PATCH', url, headers: convenerSession.headers, payload: { languages: ['fr', 'en', 'ar'] } });
    expect(set.statusCode).toBe(200);
    expect(set.json().languages).toEqual(['fr', 'en', 'ar']);
    for (const languages of [['fr', 'de'], ['en', 'en'], []]) {
      const bad = await app.inject({ method: 'PATCH', url, headers: convenerSession.headers, payload: { languages } });
      expect(bad.statusCode, JSON.stringify(languages)).toBe(400);
      expect(bad.json().message).toMatch(/languages/);
    }
    const participantSession = await session(participant.email);
    const refused = await app.inject({ method: 'PATCH', url, headers: participantSession.headers, payload: { languages: ['ru'] } });
    expect(refused.statusCode).toBe(403);
    expect((await app.prisma.group.findUniqueOrThrow({ where: { id: group.id } })).languages).toEqual(['fr', 'en', 'ar']);
    expect((await app.inject({ url, headers: participantSession.headers })).json().languages).toEqual(['fr', 'en', 'ar']);
  }, 30_000);
});

describe('the emails catalogue', () => {
  it('has every English key in each of the six languages, with the same placeholders, each a valid ICU message', () => {
    const read = (l: string) => JSON.parse(readFileSync(new URL(`../../locales/${l}/emails.json`, import.meta.url), 'utf8')) as Record<string, string>;
    const argsOf = (source: string, locale: string) => {
      const names = new Set<string>();
      const walk = (els: ReturnType<IntlMessageFormat['getAst']>) => {
        for (const el of els as Array<{ type: number; value?: string; options?: Record<string, { value: typeof els }> }>) {
          if (el.type >= 1 && el.type <= 6 && el.value) names.add(el.value);
          if (el.options) for (const o of Object.values(el.options)) walk(o.value);
        }
      };
      walk(new IntlMessageFormat(source, locale, undefined, { ignoreTag: true }).getAst());
      return [...names].sort();
    };
    const en = read('en');
    for (const locale of LOCALES) {
      const messages = read(locale);
      expect(Object.keys(messages).sort(), locale).toEqual(Object.keys(en).sort());
      for (const [key, source] of Object.entries(messages)) expect(argsOf(source, locale), `${locale} ${key}`).toEqual(argsOf(en[key]!, 'en'));
    }
  });
});
