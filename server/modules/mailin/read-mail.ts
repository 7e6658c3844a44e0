// Reading an inbound message: who sent it, whether a machine did, the reply's own text (quoted
// mail and signature stripped by email-reply-parser, HTML-only mail converted by html-to-text) and
// the delivery status notifications (RFC 3464) that tell an address bounces.
import EmailReplyParser from 'email-reply-parser';
import { convert } from 'html-to-text';
import type { Attachment, ParsedMail } from 'mailparser';

/**
 * What Convene reads of a parsed message: mailparser's result, less the attachments' contents
 * (only their names and disposition are read), so that it crosses from the reading thread as it is.
 */
export type ReadableMail = Pick<ParsedMail, 'headers' | 'from' | 'to' | 'cc' | 'subject' | 'text' | 'html'> & {
  attachments: Pick<Attachment, 'filename' | 'contentDisposition' | 'related'>[];
};

export const header = (mail: ReadableMail, name: string) => {
  const v = mail.headers.get(name);
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'value' in v) return String((v as { value: unknown }).value);
  return String(v);
};

export const fromAddress = (mail: ReadableMail) => mail.from?.value[0]?.address?.toLowerCase() ?? null;

/** Every address the message names as a recipient (the envelope's come first, from the caller). */
export function headerRecipients(mail: ReadableMail): string[] {
  const list = [mail.to, mail.cc].flatMap((a) => (a ? (Array.isArray(a) ? a : [a]) : [])).flatMap((a) => a.value.map((v) => v.address ?? ''));
  for (const name of ['delivered-to', 'x-original-to']) {
    const v = header(mail, name);
    if (v) list.push(v.replace(/^.*<|>.*$/g, ''));
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
  mail.attachments.filter((a) => a.contentDisposition === 'attachment' && !a.related).map((a) => a.filename ?? 'unnamed');

export interface BouncedRecipient {
  address: string;
  status: string;
  diagnostic: string;
}

/**
 * A delivery status notification (RFC 3464: multipart/report; report-type=delivery-status): the
 * recipients whose delivery failed for good (Action: failed, Status 5.x.x). Null when the message is no DSN.
 */
export function hardBounces(mail: ReadableMail, raw: Buffer): BouncedRecipient[] | null {
  const type = header(mail, 'content-type').toLowerCase();
  const params = (mail.headers.get('content-type') as { params?: Record<string, string> } | undefined)?.params ?? {};
  if (!type.startsWith('multipart/report') || (params['report-type'] ?? '').toLowerCase() !== 'delivery-status') return null;
  // mailparser folds the delivery-status part into the text: it is read from the raw message.
  const source = raw.toString('utf8').replace(/\r\n/g, '\n');
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
