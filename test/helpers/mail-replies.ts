// Replying to Convene by mail in tests: a real SMTP client (nodemailer) delivering to Convene's own
// receiver, and the reply addresses read back from what Convene sent.
import type { ParsedMail } from 'mailparser';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { TestApp } from './app.ts';
import type { SmtpSink } from './smtp.ts';
import { until } from './digests.ts';

export const mailTo = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address?.toLowerCase();
export const replyToOf = (m: ParsedMail) => m.replyTo?.value[0]?.address ?? null;

/** Sends one message to the app's embedded receiver over SMTP; resolves on its 250. */
export async function deliver(app: TestApp, message: SendMailOptions & { dkim?: unknown }) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: app.mailIntake.smtpPort!, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail(message as SendMailOptions);
  } finally {
    transport.close();
  }
}

/** The inbound row of a message, once processed. */
export async function processed(app: TestApp, messageId: string) {
  return until(
    async () => {
      await app.ctx.events.drain();
      const row = await app.prisma.inboundMessage.findUnique({ where: { messageId }, omit: { raw: true } });
      return row?.processedAt ? row : null;
    },
    15_000,
    `message ${messageId} processed`,
  );
}

export async function nextMail(app: TestApp, sink: SmtpSink, to: string, match: (m: ParsedMail) => boolean) {
  return until(
    async () => {
      await app.ctx.events.drain();
      return sink.messages.find((m) => mailTo(m) === to.toLowerCase() && match(m));
    },
    15_000,
    `a mail to ${to}`,
  );
}
