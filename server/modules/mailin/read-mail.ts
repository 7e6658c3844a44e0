// Reading an inbound message: who sent it, whether a machine did, the reply's own text (quoted
// mail and signature stripped by email-reply-parser, HTML-only mail converted by html-to-text) and
// the delivery status notifications (RFC 3464) that tell an address bounces.
import EmailReplyParser from 'email-reply-parser';
import { convert } from 'html-to-text';
import PostalMime, { type Address } from 'postal-mime';

/**
 * What Convene reads of a message: its headers, addresses, subject, text parts and the names of its
 * attachments (never their contents), as plain data that crosses from the reading thread as it is.
 */
export interface ReadableMail {
  /** Header values by lower-case name, topmost first (encoded words left as they are). */
  headers: Record<string, string[]>;
  /** The first From address, lower-case; null when there is none. */
  from: string | null;
  /** The To and Cc addresses (groups flattened). */
  recipients: string[];
  subject: string | undefined;
  text: string | undefined;
  html: string | undefined;
  attachments: { filename: string | null; disposition: string | null; related: boolean }[];
}

const addresses = (list: Address[] | undefined): string[] =>
  (list ?? []).flatMap((a) => (a.group ? a.group.map((m) => m.address) : [a.address])).filter((a): a is string => Boolean(a));

/**
 * Parses a raw message with postal-mime (by the author of mailparser and mailauth: the same MIME
 * handling, parsed in about 40 % of mailparser's time — the parse is a large part of a reply's CPU
 * in bench/mail-intake.bench.ts).
 */
export async function parseMail(raw: Buffer | Uint8Array): Promise<ReadableMail> {
  const email = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
  const headers: Record<string, string[]> = {};
  for (const h of email.headers) {
    const values = headers[h.key] ?? [];
    values.push(h.value);
    headers[h.key] = values;
  }
  const from = email.from ? addresses([email.from])[0] : undefined;
  return {
    headers,
    from: from ? from.toLowerCase() : null,
    recipients: addresses([...(email.to ?? []), ...(email.cc ?? [])]),
    subject: email.subject,
    text: email.text,
    html: email.html,
    attachments: email.attachments.map((a) => ({ filename: a.filename, disposition: a.disposition, related: Boolean(a.related) })),
  };
}

/** The first value of a header ('' when absent). */
export const header = (mail: Pick<ReadableMail, 'headers'>, name: string) => mail.headers[name]?.[0] ?? '';

export const fromAddress = (mail: ReadableMail) => mail.from;

/** Every address the message names as a recipient (the envelope's come first, from the caller). */
export function headerRecipients(mail: ReadableMail): string[] {
  const list = [...mail.recipients];
  for (const name of ['delivered-to', 'x-original-to']) {
    const v = header(mail, name);
    if (v) list.push(v.replace(/^.*<|>.*$/g, '').trim());
  }
  return list.filter(Boolean);
}

const ROBOT_LOCAL_PARTS = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|auto-?reply|autoresponder)([+-].*)?$/i;

/**
 * Why this message was written by a machine (RFC 3834 Auto-Submitted, Precedence bulk/junk/list,
 * vendor auto-reply marks, a null or daemon sender), or null for a person's mail. Convene never
 * answers such mail and never posts it: an out-of-office must not become a comment, nor an answer
 * start a loop.
 */
export function automaticReason(mail: ReadableMail, envelopeFrom: string | null): string | null {
  const auto = header(mail, 'auto-submitted').toLowerCase();
  if (auto && !auto.startsWith('no')) return `Auto-Submitted: ${auto}`;
  const precedence = header(mail, 'precedence').toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  if (header(mail, 'x-autoreply') || header(mail, 'x-autorespond') || header(mail, 'x-auto-response-suppress').toLowerCase().includes('all'))
    return 'auto-reply header';
  if (header(mail, 'list-id')) return 'sent by a mailing list';
  if (envelopeFrom === '') return 'null envelope sender';
  const from = fromAddress(mail);
  if (!from) return 'no sender';
  if (ROBOT_LOCAL_PARTS.test(from.split('@')[0] ?? '')) return `sent by ${from}`;
  return null;
}

/** The reply's own text: the plain part (else the HTML converted), quotes and signature removed. */
export function replyText(mail: ReadableMail): string {
  const plain = mail.text?.trim()
    ? mail.text
    : mail.html
      ? convert(mail.html, { wordwrap: false, selectors: [{ selector: 'a', options: { ignoreHref: true } }] })
      : '';
  const visible = new EmailReplyParser().parseReply(plain.replace(/\r\n/g, '\n'));
  return stripLeftovers(visible).trim();
}

/**
 * What the parser leaves of a few clients' quoting: Outlook's "-----Original Message-----" and its
 * "From: … Sent: …" block, and a quote introduced by "On …, … wrote:" wrapped over two lines.
 */
function stripLeftovers(text: string): string {
  const lines = text.split('\n');
  const cut = lines.findIndex(
    (l, i) =>
      /^-{2,}\s*(Original Message|Message d'origine|Ursprüngliche Nachricht)\s*-{2,}$/i.test(l.trim()) ||
      (/^(From|De|Von):\s/i.test(l.trim()) && /^(Sent|Envoyé|Gesendet|Date):\s/i.test(lines[i + 1]?.trim() ?? '')) ||
      /^_{20,}$/.test(l.trim()),
  );
  return (cut >= 0 ? lines.slice(0, cut) : lines).join('\n');
}

/** Files sent with the reply (not the inline images of an HTML signature): not kept, and the answer says so. */
export const attachedFiles = (mail: ReadableMail) =>
  mail.attachments.filter((a) => a.disposition === 'attachment' && !a.related).map((a) => a.filename ?? 'unnamed');

export interface BouncedRecipient {
  address: string;
  status: string;
  diagnostic: string;
}

/**
 * A delivery status notification (RFC 3464: multipart/report; report-type=delivery-status): the
 * recipients whose delivery failed for good (Action: failed, Status 5.x.x). Null when the message is no DSN.
 */
export function hardBounces(mail: ReadableMail, raw: Uint8Array): BouncedRecipient[] | null {
  const type = header(mail, 'content-type').toLowerCase();
  const reportType = /;\s*report-type\s*=\s*"?([^";\s]+)/.exec(type)?.[1];
  if (!type.startsWith('multipart/report') || reportType !== 'delivery-status') return null;
  // The delivery-status part is read from the raw message, as it is written.
  const source = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8').replace(/\r\n/g, '\n');
  const start = source.search(/^content-type:[ \t]*message\/(global-)?delivery-status/im);
  if (start < 0) return [];
  const afterHeaders = source.indexOf('\n\n', start);
  const end = source.slice(afterHeaders + 2).search(/^--/m);
  const part = source.slice(afterHeaders + 2, end >= 0 ? afterHeaders + 2 + end : undefined);
  // Per-message fields, then one block per recipient, separated by blank lines (folded lines joined).
  const blocks = part.replace(/\n[ \t]+/g, ' ').split(/\n\s*\n/);
  const bounced: BouncedRecipient[] = [];
  for (const block of blocks) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (m) fields.set(m[1]!.toLowerCase(), m[2]!.trim());
    }
    const recipient = fields.get('final-recipient') ?? fields.get('original-recipient');
    if (!recipient) continue;
    const action = (fields.get('action') ?? '').toLowerCase();
    const status = fields.get('status') ?? '';
    if (action === 'failed' && status.startsWith('5')) {
      bounced.push({ address: recipient.replace(/^[^;]*;\s*/, '').toLowerCase(), status, diagnostic: fields.get('diagnostic-code') ?? '' });
    }
  }
  return bounced;
}
