// Creates a digest and one delivery per recipient, in the caller's transaction, and enqueues
// its delivery job in that same transaction: either the digest exists with every delivery
// recorded and a job to send them, or nothing does.
import type { Mailer } from '../../plugins/mailer.ts';
import type { Jobs } from '../../plugins/jobs.ts';
import type { Ctx, Tx } from '../../lib/use-case.ts';
import type { DigestKind, Group } from '../../generated/prisma/client.ts';
import type { DigestSection, DigestView } from './digest-content.ts';
import { digestMessageId } from './digest-mail.ts';
import { DEFAULT_LOCALE, directionOf, type Locale, translate } from '../../lib/i18n.ts';
import { LOCALE_NAMES } from '../../../locales/locales.ts';
import { readerLocale } from '../../../emails/messages.ts';
import type { EmailTemplates } from '../../../emails/registry.ts';

export const DELIVER_QUEUE = 'digest-deliver';

export interface DigestDeps {
  ctx: Ctx;
  mailer: Mailer;
  jobs: Jobs;
}

/** What is stored with the digest to render every recipient's copy the same way on any retry. */
export interface StoredDigestProps {
  view: DigestView;
  previousDigestId: string | null;
  /** The language of `view` (the group's main one); English for digests stored before languages. */
  locale?: Locale;
  /** The same digest in the group's other working languages, in the group's order. */
  translations?: LocalisedView[];
}

export interface LocalisedView {
  locale: Locale;
  view: DigestView;
}

/**
 * A digest in each of the group's working languages, main first. A list reads one mail with a
 * section per language (what ITU lists are used to), rather than one mail per language, which
 * would send every subscriber the same news several times.
 */
export async function inGroupLanguages(group: { languages?: string[] | null }, build: (locale: Locale) => DigestView | Promise<DigestView>) {
  const locales = [...new Set((group.languages ?? []).map((l) => readerLocale(l)))];
  if (!locales.length) locales.push(DEFAULT_LOCALE);
  const views: LocalisedView[] = [];
  for (const locale of locales) views.push({ locale, view: await build(locale) });
  const [main, ...translations] = views;
  return { locale: main!.locale, view: main!.view, translations };
}

/** Tables beyond this many rows are shown whole in the first section only: six languages of a long table would get the mail clipped (Gmail clips past 102 KB). */
const ROWS_IN_OTHER_LANGUAGES = 10;
function shortened(section: DigestSection, locale: Locale): DigestSection {
  if (section.rows.length <= ROWS_IN_OTHER_LANGUAGES) return section;
  const count = section.rows.length - ROWS_IN_OTHER_LANGUAGES;
  return { ...section, rows: section.rows.slice(0, ROWS_IN_OTHER_LANGUAGES), more: translate(locale, 'emails', 'digests.moreInFirstSection', { count }) };
}

/**
 * The props and language of one copy: `first` (a member's own language, when the digest has it)
 * leads, the other languages follow as sections; the notes are written in each section's language.
 */
export function digestCopy(
  stored: StoredDigestProps,
  recipient: Omit<EmailTemplates['digest'], keyof DigestView | 'recipientNote'> & { note: 'list' | 'subscriber' },
  first?: Locale,
): { locale: Locale; props: EmailTemplates['digest'] } {
  const all: LocalisedView[] = [{ locale: stored.locale ?? DEFAULT_LOCALE, view: stored.view }, ...(stored.translations ?? [])];
  const lead = all.find((v) => v.locale === first) ?? all[0]!;
  const others = all.filter((v) => v !== lead);
  const noteKey = recipient.note === 'list' ? 'digests.listNote' : 'digests.subscriberNote';
  const { note: _note, ...rest } = recipient;
  return {
    locale: lead.locale,
    props: {
      ...lead.view,
      ...rest,
      recipientNote: translate(lead.locale, 'emails', noteKey),
      others: others.map(({ locale, view }) => ({
        ...view,
        sections: view.sections.map((section) => shortened(section, locale)),
        lang: locale,
        dir: directionOf(locale),
        align: directionOf(locale) === 'rtl' ? 'right' : 'left',
        languageName: LOCALE_NAMES[locale],
      })),
      otherLanguages: others.map((o) => LOCALE_NAMES[o.locale]).join(' · '),
    },
  };
}

export const LIST_NOTE = 'This digest was sent to the mailing list of the group.';
export const SUBSCRIBER_NOTE = 'You receive this because you subscribed to the digests of this group.';

export async function listRecipients(tx: Tx, group: Group): Promise<{ email: string; subscriptionId: string | null }[]> {
  const subscriptions = await tx.digestSubscription.findMany({ where: { groupId: group.id, state: 'CONFIRMED' }, orderBy: { createdAt: 'asc' } });
  const bouncing = new Set((await tx.bouncingAddress.findMany({ where: { email: { in: subscriptions.map((s) => s.email) } } })).map((b) => b.email));
  const recipients: { email: string; subscriptionId: string | null }[] = [];
  const seen = new Set<string>();
  // The list address always gets the digest: the list server redistributes it to its members.
  if (group.mailingList) {
    recipients.push({ email: group.mailingList.toLowerCase(), subscriptionId: null });
    seen.add(group.mailingList.toLowerCase());
  }
  for (const s of subscriptions) {
    if (seen.has(s.email) || bouncing.has(s.email)) continue;
    seen.add(s.email);
    recipients.push({ email: s.email, subscriptionId: s.id });
  }
  return recipients;
}

export async function createDigest(
  deps: DigestDeps,
  tx: Tx,
  input: {
    group: Group;
    key: string;
    kind: DigestKind;
    milestoneId: string | null;
    late: boolean;
    view: DigestView;
    locale?: Locale;
    translations?: LocalisedView[];
  },
) {
  const previous = await tx.digest.findFirst({ where: { groupId: input.group.id }, orderBy: { createdAt: 'desc' }, select: { id: true } });
  const props: StoredDigestProps = {
    view: input.view,
    previousDigestId: previous?.id ?? null,
    locale: input.locale ?? DEFAULT_LOCALE,
    translations: input.translations ?? [],
  };
  // The archived copy is the list's copy: no personal unsubscribe link in it.
  const copy = digestCopy(props, { unsubscribeUrl: false, note: 'list' });
  const listCopy = deps.mailer.render('digest', copy.props, copy.locale);
  const digest = await tx.digest.create({
    data: {
      groupId: input.group.id,
      key: input.key,
      kind: input.kind,
      milestoneId: input.milestoneId,
      late: input.late,
      subject: listCopy.subject,
      html: listCopy.html,
      text: listCopy.text,
      props: JSON.parse(JSON.stringify(props)),
    },
  });
  const recipients = await listRecipients(tx, input.group);
  await tx.digestDelivery.createMany({
    data: recipients.map((r) => ({
      digestId: digest.id,
      recipient: r.email,
      subscriptionId: r.subscriptionId,
      messageId: digestMessageId(deps.ctx.config, digest.id, r.email),
    })),
  });
  await deps.jobs.send(DELIVER_QUEUE, { digestId: digest.id }, { tx });
  return { digest, recipients: recipients.length };
}
