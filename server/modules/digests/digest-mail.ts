// The mailing-list envelope of a digest: deterministic Message-IDs (a resend after a crash is
// the same message, so receivers and archives can de-duplicate), threading of one group's
// digests, the list headers (RFC 2919 List-Id, RFC 2369 List-Unsubscribe/List-Archive,
// RFC 8058 one-click). The mailer signs them with everything else it sends.
import { createHmac } from 'node:crypto';
import type { OutgoingMail } from '../../plugins/mailer.ts';
import type { Config } from '../../config.ts';
import { safeEqual } from '../../lib/tokens.ts';

/** Header values never carry CR/LF (or the angle brackets and quotes that delimit them). */
export const headerText = (s: string) =>
  s
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(/["<>\\]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

const mailHost = (config: Config) => new URL(config.publicUrl).hostname;

/** A stable, opaque per-recipient part: the same recipient gets the same suffix in every digest. */
const recipientHash = (config: Config, recipient: string) =>
  createHmac('sha256', config.sessionSecret).update(`digest-recipient:${recipient.toLowerCase()}`).digest('hex').slice(0, 20);

export const digestMessageId = (config: Config, digestId: string, recipient: string) =>
  `<digest-${digestId}.${recipientHash(config, recipient)}@${mailHost(config)}>`;

const threadRoot = (config: Config, groupId: string) => `<digests-${groupId}@${mailHost(config)}>`;

/** The unsubscribe token of a subscription: stable (it is in every digest), verifiable, not guessable. */
export function unsubscribeToken(config: Config, subscriptionId: string): string {
  const mac = createHmac('sha256', config.sessionSecret).update(`unsubscribe:${subscriptionId}`).digest('base64url').slice(0, 32);
  return `${subscriptionId}.${mac}`;
}

export function readUnsubscribeToken(config: Config, token: string): string | null {
  const [id, mac] = token.split('.');
  if (!id || !mac || !/^[0-9a-f-]{36}$/.test(id)) return null;
  return safeEqual(unsubscribeToken(config, id), token) ? id : null;
}

export const unsubscribeUrl = (config: Config, subscriptionId: string) =>
  `${config.publicUrl}/digests/unsubscribe?token=${unsubscribeToken(config, subscriptionId)}`;

export interface DigestEnvelopeInput {
  group: { id: string; slug: string; name: string; mailingList: string | null };
  digestId: string;
  previousDigestId: string | null;
  recipient: string;
  subscriptionId: string | null;
  archiveUrl: string;
}

export function digestEnvelope(config: Config, input: DigestEnvelopeInput): NonNullable<OutgoingMail<'digest'>['options']> {
  const host = mailHost(config);
  const root = threadRoot(config, input.group.id);
  const previous = input.previousDigestId ? digestMessageId(config, input.previousDigestId, input.recipient) : null;
  const headers: Record<string, string> = {
    'List-Archive': `<${input.archiveUrl}>`,
    // List traffic: vacation responders that predate RFC 3834 skip it.
    Precedence: 'list',
  };
  if (input.subscriptionId) {
    const token = unsubscribeToken(config, input.subscriptionId);
    headers['List-Unsubscribe'] =
      `<${unsubscribeUrl(config, input.subscriptionId)}>, <mailto:${config.digests.unsubscribeAddress}?subject=unsubscribe%20${token}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  if (input.group.mailingList) headers['List-Post'] = `<mailto:${input.group.mailingList}>`;
  return {
    messageId: digestMessageId(config, input.digestId, input.recipient),
    inReplyTo: previous ?? root,
    references: previous ? [root, previous] : [root],
    ...(input.group.mailingList ? { replyTo: input.group.mailingList } : {}),
    headers,
    // nodemailer's list option encodes only the phrase of a non-ASCII name (RFC 2919/2047): as a
    // plain header the whole value was encoded, identifier included, and no filter could match it.
    list: { id: { url: `${input.group.slug}.${host}`, comment: headerText(input.group.name) } },
  };
}
