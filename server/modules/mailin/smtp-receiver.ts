// The embedded SMTP receiver: Convene's own MX for its reply domain, so that a local mail client can
// reply to what Convene sent with nothing else installed. It takes mail for the reply domain and for
// the envelope sender of outgoing mail (where delivery status notifications come back), answers
// "250" only once the message and its job are stored, and 451 (try again) if that fails.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { Ctx } from '../../lib/use-case.ts';
import { receiveMessage } from './receive-message.ts';

export interface SmtpReceiver {
  port: number;
  close(): Promise<void>;
}

const addressOf = (from: string) => (from.match(/<([^>]+)>/)?.[1] ?? from).trim().toLowerCase();

export async function startSmtpReceiver(ctx: Ctx, listen: { host: string; port: number }): Promise<SmtpReceiver> {
  const { replyDomain, maxBytes } = ctx.config.mailIn;
  const bounceAddress = addressOf(ctx.config.mailFrom);
  const server = new SMTPServer({
    name: replyDomain,
    banner: 'Convene mail intake',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    logger: false,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      if (to.endsWith(`@${replyDomain}`) || to === bounceAddress) return callback();
      const err = Object.assign(new Error(`5.7.1 Relay not permitted: this server takes mail for ${replyDomain} only`), { responseCode: 550 });
      return callback(err);
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(Object.assign(new Error(`5.3.4 Message too big: at most ${maxBytes} bytes`), { responseCode: 552 }));
        }
        const envelopeFrom = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address.toLowerCase();
        receiveMessage(ctx, {
          raw: Buffer.concat(chunks),
          source: 'smtp',
          envelopeFrom,
          envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          remoteAddress: session.remoteAddress,
          helo: session.hostNameAppearsAs,
        }).then(
          () => callback(),
          (err: unknown) => {
            ctx.log.error({ err }, 'inbound message not stored; the sender will retry');
            callback(Object.assign(new Error('4.3.0 Temporary failure, try again later'), { responseCode: 451 }));
          },
        );
      });
    },
  });
  server.on('error', (err) => ctx.log.warn({ err }, 'SMTP receiver error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
