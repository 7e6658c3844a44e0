// A real SMTP server (smtp-server, from the nodemailer authors) that keeps what it receives.
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink { url: string; messages: ParsedMail[]; raw: string[]; close(): Promise<void>; waitFor(count: number, ms?: number): Promise<ParsedMail[]> }

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const raw: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const source = Buffer.concat(chunks).toString('utf8');
        raw.push(source);
        messages.push(await simpleParser(source));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    raw,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    async waitFor(count, ms = 5000) {
      const until = Date.now() + ms;
      while (messages.length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      return messages;
    },
  };
}
