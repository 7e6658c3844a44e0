// A real SMTP server (smtp-server, from the nodemailer authors) that keeps what it receives.
// Faults on demand: answer 421 to the next N messages, 5xx to chosen recipients, or take a
// while before answering 250 (to kill a sender mid-send), or hold every answer until released
// (so a test can act while senders are known to be waiting on the server).
//
// A message counts as accepted only if its sender was still connected when the 250 went out:
// a sender that died waiting for the answer never learnt of it and must send again.
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpSinkOptions {
  /** Answer "421 try again later" to the first N messages (at the end of DATA). */
  tempFailures?: number;
  /** Answer "550 no such user" to RCPT TO for these addresses. */
  rejectRecipients?: string[];
  /** Wait this long before accepting each message. */
  acceptDelayMs?: number;
  /** Parse each message (off for benches, which count only). */
  parse?: boolean;
  /** Listen on this port (e.g. to come back where a closed sink was); default: any free port. */
  port?: number;
  /** Hold the answer to every message after the first N accepted ones, until `release()`. */
  holdAfter?: number;
}

/** A message whose 250 is being held: who sent it (the EHLO name), to whom, and whether its sender has hung up since. */
export interface HeldMessage {
  ehlo: string;
  to: string[];
  senderGone: boolean;
}

export interface SmtpSink {
  url: string;
  port: number;
  messages: ParsedMail[];
  raw: string[];
  /** Accepted messages per Message-ID (a resend with the same id counts twice here). */
  byMessageId: Map<string, number>;
  /** The Message-IDs of the messages answered 421, in order. */
  refusedIds: string[];
  /** How many 421s are still to be answered. */
  tempFailuresLeft(): number;
  /** Answers "421 try again later" to the next `count` messages. */
  refuseNext(count: number): void;
  /** Accepted message count (also when not parsing). */
  accepted(): number;
  /** Accepted messages per EHLO name (tests name each instance's SMTP client with ?name=). */
  acceptedFrom: Map<string, number>;
  /** Messages received whose answer is held now (their senders are waiting). */
  held(): HeldMessage[];
  /** Holds the answer to every message from now on. */
  hold(): void;
  /** Answers every held message and stops holding. */
  release(): void;
  close(): Promise<void>;
  waitFor(count: number, ms?: number): Promise<ParsedMail[]>;
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const raw: string[] = [];
  const byMessageId = new Map<string, number>();
  const refusedIds: string[] = [];
  const messageIdOf = (chunks: Buffer[]) =>
    Buffer.concat(chunks)
      .toString('utf8')
      .match(/^Message-ID:\s*(<[^>]+>)/im)?.[1] ?? '';
  const rejected = new Set((options.rejectRecipients ?? []).map((a) => a.toLowerCase()));
  const parse = options.parse ?? true;
  let tempFailures = options.tempFailures ?? 0;
  let accepted = 0;
  const acceptedFrom = new Map<string, number>();
  let holding = false;
  let holdAfter = options.holdAfter;
  const held = new Map<HeldMessage, () => void>();
  const closedSessions = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (rejected.has(address.address.toLowerCase())) {
        const err = Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 });
        return callback(err);
      }
      callback();
    },
    onClose(session) {
      closedSessions.add(session.id);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if (tempFailures > 0) {
          tempFailures -= 1;
          refusedIds.push(messageIdOf(chunks));
          return callback(Object.assign(new Error('4.3.2 Try again later'), { responseCode: 421 }));
        }
        if (options.acceptDelayMs) await new Promise((r) => setTimeout(r, options.acceptDelayMs));
        if (holdAfter !== undefined && accepted >= holdAfter) holding = true;
        if (holding) {
          const message: HeldMessage = {
            ehlo: session.hostNameAppearsAs,
            to: session.envelope.rcptTo.map((a) => a.address),
            get senderGone() {
              return closedSessions.has(session.id);
            },
          };
          await new Promise<void>((resolve) => held.set(message, resolve));
          held.delete(message);
        }
        // The sender is gone: it never saw a 250, so the message is not delivered (RFC 5321 §4.1.1.4).
        if (closedSessions.has(session.id)) return callback(new Error('sender went away'));
        const source = Buffer.concat(chunks).toString('utf8');
        const id = source.match(/^Message-ID:\s*(<[^>]+>)/im)?.[1] ?? '';
        byMessageId.set(id, (byMessageId.get(id) ?? 0) + 1);
        accepted += 1;
        acceptedFrom.set(session.hostNameAppearsAs, (acceptedFrom.get(session.hostNameAppearsAs) ?? 0) + 1);
        if (parse) {
          raw.push(source);
          messages.push(await simpleParser(source));
        }
        callback();
      });
    },
  });
  function release() {
    holding = false;
    holdAfter = undefined;
    for (const resolve of held.values()) resolve();
  }
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    raw,
    byMessageId,
    refusedIds,
    tempFailuresLeft: () => tempFailures,
    refuseNext: (count) => {
      tempFailures = count;
    },
    accepted: () => accepted,
    acceptedFrom,
    held: () => [...held.keys()],
    hold: () => {
      holding = true;
    },
    release,
    close: () => {
      release();
      return new Promise((resolve) => server.close(() => resolve()));
    },
    async waitFor(count, ms = 5000) {
      const until = Date.now() + ms;
      while ((parse ? messages.length : accepted) < count && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      return messages;
    },
  };
}
