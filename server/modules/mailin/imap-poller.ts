// IMAP intake: for a deployment whose replies land in a mailbox (a hosted domain, no MTA of its
// own). Every pollSeconds the unseen messages are stored (receiveMessage: once per Message-ID) and
// only then flagged \Seen, so a crash in between re-reads them and the duplicates are counted,
// not processed again. The mailbox provider's Authentication-Results header is what is believed.
import { ImapFlow } from 'imapflow';
import type { Ctx } from '../../lib/use-case.ts';
import { fromAuthenticationResults } from './authentication.ts';
import { parseMail } from './read-mail.ts';
import { receiveMessage } from './receive-message.ts';

export interface ImapPoller {
  pollOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startImapPoller(ctx: Ctx, imap: { url: string; pollSeconds: number }): ImapPoller {
  const url = new URL(imap.url);
  const mailbox = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX';
  let running: Promise<number> | null = null;
  let stopped = false;

  async function poll(): Promise<number> {
    const client = new ImapFlow({
      host: url.hostname,
      port: Number(url.port) || (url.protocol === 'imaps:' ? 993 : 143),
      secure: url.protocol === 'imaps:',
      auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
      logger: false,
    });
    await client.connect();
    let stored = 0;
    try {
      const lock = await client.getMailboxLock(mailbox);
      try {
        const uids = (await client.search({ seen: false }, { uid: true })) || [];
        for (const uid of uids) {
          const message = await client.fetchOne(String(uid), { source: true, envelope: true }, { uid: true });
          if (message === false || !message.source) continue;
          const parsed = await parseMail(message.source);
          await receiveMessage(ctx, { raw: message.source, source: 'imap', authentication: fromAuthenticationResults(parsed, ctx.config) });
          await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
          stored += 1;
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
    return stored;
  }

  const pollOnce = () => {
    running ??= poll().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (stopped) return;
    pollOnce().catch((err: unknown) => ctx.log.warn({ err }, 'IMAP poll failed; trying again at the next interval'));
  }, imap.pollSeconds * 1000);
  timer.unref();
  return {
    pollOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
