// A real IMAP server for the IMAP intake: Debian's Dovecot (dovecot-imapd, installed by
// scripts/ensure-installed.mjs), run in the foreground on a loopback port with its own
// configuration in a temporary directory, one mailbox user. Mail is delivered into its Maildir
// as a local delivery agent would (a file in new/); Convene then reads it over IMAP.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ImapServer {
  url: string;
  /** Delivers one raw message into the mailbox (unseen). */
  deliver(raw: string): Promise<void>;
  close(): Promise<void>;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

export async function startImapServer(): Promise<ImapServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'convene-imap-'));
  const maildir = path.join(dir, 'home', 'replies', 'Maildir');
  for (const sub of ['new', 'cur', 'tmp']) await mkdir(path.join(maildir, sub), { recursive: true });
  for (const sub of ['run', 'state']) await mkdir(path.join(dir, sub));
  const password = randomBytes(8).toString('hex');
  await writeFile(path.join(dir, 'passwd'), `replies:{PLAIN}${password}\n`);
  const port = await freePort();
  // The mail user is "nobody" (Dovecot refuses uid 0): the directories are open to it.
  await writeFile(
    path.join(dir, 'dovecot.conf'),
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = dovenull
default_internal_user = dovecot
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=${dir}/home/%u
}
mail_location = maildir:${dir}/home/%u/Maildir
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  const chmodAll = async (p: string) => chmod(p, 0o777);
  for (const p of [dir, path.join(dir, 'home'), path.join(dir, 'home', 'replies'), maildir, ...['new', 'cur', 'tmp'].map((s) => path.join(maildir, s))])
    await chmodAll(p);
  const child: ChildProcess = spawn('/usr/sbin/dovecot', ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  const until = Date.now() + 10_000;
  while (!(await listening(port))) {
    if (Date.now() > until || child.exitCode !== null) throw new Error(`Dovecot did not start (see ${dir}/log)`);
    await new Promise((r) => setTimeout(r, 50));
  }
  let n = 0;
  return {
    url: `imap://replies:${password}@127.0.0.1:${port}/INBOX`,
    async deliver(raw) {
      n += 1;
      const name = `${Date.now()}.${process.pid}_${n}.convene-test`;
      await writeFile(path.join(maildir, 'tmp', name), raw.replace(/\r?\n/g, '\r\n'));
      await chmod(path.join(maildir, 'tmp', name), 0o666);
      const { rename } = await import('node:fs/promises');
      await rename(path.join(maildir, 'tmp', name), path.join(maildir, 'new', name));
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
