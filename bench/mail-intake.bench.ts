// Mail intake figure: 1,000 replies by mail delivered over SMTP to Convene's embedded receiver,
// timed from the first connection until all 1,000 comments are stored and their messages recorded
// (each: stored raw, parsed, authenticated, quote-stripped, reply address verified, posted through
// the comment use case, answered by mail) — beside a bare smtp-server that only stores each raw
// message in PostgreSQL before its 250. BENCH_MAIL_ROUNDS (3) rounds per side, alternating, and the
// ratio of all rounds together. Same client, same 10 connections, in a process of its own
// (lib/smtp-client.ts, as the HTTP benches' load generators are), so the CPU figures are the
// receivers' alone; PostgreSQL's and the client's are printed too: on these 2-core machines all
// three share the cores. Run: npm run bench -- mail-intake
// BENCH_MAIL_STATEMENTS=1 also prints PostgreSQL's statements per reply (pg_stat_statements) of the last round.
// BENCH_MAIL_PROFILE=<dir> writes CPU profiles of this process's event loop during each round to <dir>
// (bare-<round>-*.cpuprofile, convene-<round>-*.cpuprofile).
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import type { SendMailOptions } from 'nodemailer';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { loadGroupAccess } from '../server/modules/groups/groups.policy.ts';
import { issueReply } from '../server/modules/mailin/issue-reply.ts';
import { openPeriod } from '../server/modules/periods/periods.ts';
import { createDocument } from '../server/modules/revisions/documents.ts';
import { importMarkdown } from '../server/modules/revisions/lib/import-markdown.ts';
import { postRevision } from '../server/modules/revisions/post-revision.ts';
import { signedInMember, startBenchApp } from './lib/app.ts';
import { benchDatabase, fmt } from './lib/harness.ts';

const MESSAGES = Number(process.env.BENCH_MAIL_MESSAGES ?? 1000);
/** Rounds per side, alternating (bare, Convene, bare, …): a load that passes over the machine touches both. */
const ROUNDS = Number(process.env.BENCH_MAIL_ROUNDS ?? 3);
const CONNECTIONS = 10;
const SENDERS = 20;
const STATEMENTS = process.env.BENCH_MAIL_STATEMENTS === '1';
const PROFILE = process.env.BENCH_MAIL_PROFILE;

async function startBareReceiver(databaseUrl: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  pool.on('error', () => {});
  await pool.query('CREATE TABLE IF NOT EXISTS bench_raw_mail (id bigserial primary key, raw bytea not null, received_at timestamptz not null default now())');
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        pool.query('INSERT INTO bench_raw_mail (raw) VALUES ($1)', [Buffer.concat(chunks)]).then(
          () => callback(),
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

/** CPU time a process has used so far, in ms (Linux /proc; clock ticks of 10 ms). */
function pidCpuMs(pid: number | string): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time used so far by every postgres process: the bench's cluster (nothing else on these machines runs PostgreSQL). */
function postgresCpuMs(): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'latin1').startsWith('postgres')) total += pidCpuMs(pid);
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

/** A CPU profile of this thread from now until stop(), written to BENCH_MAIL_PROFILE/<name>-<time>.cpuprofile (nothing without it). */
async function profiling(name: string) {
  if (!PROFILE) return { stop: async () => {} };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      await mkdir(PROFILE, { recursive: true });
      await writeFile(path.join(PROFILE, `${name}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    },
  };
}

/** The SMTP client in its own process (lib/smtp-client.ts); `deliverAll` resolves once every message got its "250". */
async function smtpClient() {
  const child = fork(fileURLToPath(new URL('./lib/smtp-client.ts', import.meta.url)), [], { execArgv: ['--disable-warning=ExperimentalWarning'] });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
  });
  return {
    deliverAll: (port: number, messages: SendMailOptions[]) =>
      new Promise<void>((resolve, reject) => {
        child.once('message', (m: { ok: boolean; error?: string }) => (m.ok ? resolve() : reject(new Error(m.error))));
        child.send({ port, connections: CONNECTIONS, messages });
      }),
    close: () => child.kill(),
    cpuMs: () => pidCpuMs(child.pid!),
  };
}

export default async function mailIntakeBench() {
  const db = await benchDatabase({ statements: STATEMENTS });
  const { app } = await startBenchApp(db.url, {
    env: {
      MAIL_INBOUND_SMTP: 'on',
      MAIL_INBOUND_SMTP_PORT: '0',
      MAIL_INBOUND_SMTP_HOST: '127.0.0.1',
      MAIL_REPLY_DOMAIN: 'reply.bench.test',
      // MAIL_INBOUND_THREADS=0 npm run bench -- mail-intake: parsing and authentication on the event loop, for comparison.
      ...(process.env.MAIL_INBOUND_THREADS ? { MAIL_INBOUND_THREADS: process.env.MAIL_INBOUND_THREADS } : {}),
      // The job store polls at its default interval (2 s), as in production: messages are processed
      // by the instance that stored them, not when a worker next polls.
    },
  });
  // No DNS on this machine: every lookup answers "no such record" at once (as a resolver would for these names).
  app.mailIntake.resolver = async () => {
    throw Object.assign(new Error('no DNS'), { code: 'ENOTFOUND' });
  };
  // 50 replies per sender within the bench: answered, not rate-limited.
  app.ctx.config.limits.mailAnswersPerSender = { max: 1_000_000, windowMs: 60_000 };
  const bare = await startBareReceiver(db.url);
  const client = await smtpClient();
  const { deliverAll } = client;
  try {
    const { user, group } = await signedInMember(app);
    const access = await loadGroupAccess(app.ctx, group.slug, user);
    const document = await createDocument(app.ctx, { access, title: 'Bench report' });
    const draft = Array.from({ length: 20 }, (_, i) => `## 7.${i + 1} Clause ${i}\n\nText of clause ${i}.`).join('\n\n');
    const { revision } = await postRevision(app.ctx, { access, documentId: document.id, label: 'Bench', format: 'MARKDOWN', imported: importMarkdown(draft) });
    await openPeriod(app.ctx, {
      access,
      documentId: document.id,
      sequence: 1,
      opens: { at: new Date(Date.now() - 3_600_000).toISOString() },
      closes: { at: new Date(Date.now() + 86_400_000).toISOString() },
    });
    const senders = await Promise.all(
      Array.from({ length: SENDERS }, async (_, i) => {
        const u = await app.prisma.user.create({ data: { email: `sender-${i}-${group.slug}@example.test`, name: `Sender ${i}`, affiliation: 'SG17 / Bench' } });
        await app.prisma.membership.create({ data: { groupId: group.id, userId: u.id, role: 'PARTICIPANT' } });
        const reply = await issueReply(app.ctx, u.id, { purpose: 'clause_comment', targetId: revision.id });
        return { email: u.email, address: reply!.address };
      }),
    );
    const messages = (tag: string) =>
      Array.from({ length: MESSAGES }, (_, i) => {
        const s = senders[i % SENDERS]!;
        return {
          from: s.email,
          to: s.address,
          subject: `Re: Comment on clause 7.${(i % 20) + 1}`,
          messageId: `<${tag}-${i}@client.bench.test>`,
          text: `Reply ${i}: the clause needs more on key rotation.\nType: technical\nProposed change: Add key rotation.\n\nOn Sun, 6 Dec 2026 at 08:00, Convene <convene@localhost> wrote:\n> Comments close soon.\n> Reply to this e-mail to comment.`,
        };
      });

    // Warm-up of both paths (JIT, connections), not counted.
    await deliverAll(app.mailIntake.smtpPort!, messages('warm').slice(0, 50));
    await deliverAll(bare.port, messages('warm').slice(0, 50));
    const commentsNow = () => app.prisma.comment.count({ where: { revisionId: revision.id } });
    const warmRecorded = () => app.prisma.inboundMessage.count({ where: { messageId: { startsWith: '<warm-' }, processedAt: { not: null } } });
    while ((await commentsNow()) < 50 || (await warmRecorded()) < 50) await new Promise((r) => setTimeout(r, 100));

    const stats = STATEMENTS ? new pg.Client({ connectionString: db.url }) : null;
    if (stats) {
      await stats.connect();
      await stats.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    }

    // CPU time of this process (the receiver with its threads; the client runs apart) per message:
    // steadier than wall time on a machine others load, though it leaves out PostgreSQL's.
    const cpuMs = (since: NodeJS.CpuUsage) => {
      const d = process.cpuUsage(since);
      return (d.user + d.system) / 1000;
    };
    // The event loop's thread alone (the receiver's threads that read mail are in the figure above).
    const threadMs = (since: NodeJS.CpuUsage) => {
      const d = process.threadCpuUsage(since);
      return (d.user + d.system) / 1000;
    };
    // How long the event loop made ready work wait (every SMTP "250" waits its turn on it).
    const loopDelay = () => {
      const h = monitorEventLoopDelay({ resolution: 1 });
      h.enable();
      return () => {
        h.disable();
        return `p50 ${fmt(h.percentile(50) / 1e6, 1)} ms, p99 ${fmt(h.percentile(99) / 1e6, 1)} ms, max ${fmt(h.max / 1e6, 1)} ms`;
      };
    };
    /** What one side's round cost: wall time, CPU of this process (all threads; the event loop alone), of PostgreSQL and of the client. */
    async function measured(name: string, deliver: () => Promise<{ acceptedMs: number; processedAtLast250: number } | undefined>) {
      const profile = await profiling(name);
      const loop = loopDelay();
      const pg0 = postgresCpuMs();
      const cl0 = client.cpuMs();
      const cpu0 = process.cpuUsage();
      const thread0 = process.threadCpuUsage();
      const t0 = performance.now();
      const receipt = await deliver();
      const ms = performance.now() - t0;
      const delay = loop();
      await profile.stop();
      return { ms, receipt, delay, cpu: cpuMs(cpu0), thread: threadMs(thread0), pg: postgresCpuMs() - pg0, client: client.cpuMs() - cl0 };
    }
    const perMessage = (v: number) => fmt(v / MESSAGES, 2);

    console.log(
      `\n${MESSAGES} replies over SMTP per round (${CONNECTIONS} connections, ${SENDERS} senders), ${ROUNDS} rounds alternating with the bare receiver; ` +
        'the machine is shared with other work, so read ratios, not absolutes',
    );
    const rounds: { bareMs: number; conveneMs: number }[] = [];
    let recorded = 0;
    let allRecorded = () => {};
    app.ctx.events.on('mailin.processed', () => {
      recorded += 1;
      if (recorded === MESSAGES) allRecorded();
    });
    for (let round = 1; round <= ROUNDS; round++) {
      const b = await measured(`bare-${round}`, async () => {
        await deliverAll(bare.port, messages(`bare${round}`));
        return undefined;
      });
      // pg_stat_statements counts the last Convene round alone (nothing runs after it).
      if (round === ROUNDS) await stats?.query('SELECT pg_stat_statements_reset()');
      const tag = `run${round}`;
      // The end is the moment the last message is recorded (its comment is committed before it):
      // heard from the in-process event, not polled, so that it is timed as exactly as the bare
      // side's last "250".
      recorded = 0;
      const done = new Promise<void>((resolve) => {
        allRecorded = resolve;
      });
      const c = await measured(`convene-${round}`, async () => {
        const t0 = performance.now();
        await deliverAll(app.mailIntake.smtpPort!, messages(tag));
        const acceptedMs = performance.now() - t0;
        // How far processing was behind receipt when the last "250" went out.
        const processedAtLast250 = recorded;
        await done;
        return { acceptedMs, processedAtLast250 };
      });
      // Checked, not timed: every comment stored and every message of the round recorded.
      const processed = await app.prisma.inboundMessage.count({ where: { messageId: { startsWith: `<${tag}-` }, processedAt: { not: null } } });
      const comments = await commentsNow();
      if (processed !== MESSAGES || comments !== 50 + round * MESSAGES)
        throw new Error(`round ${round}: ${processed} messages recorded, ${comments - 50 - (round - 1) * MESSAGES} comments stored`);
      rounds.push({ bareMs: b.ms, conveneMs: c.ms });
      const ratio = b.ms / c.ms;
      console.log(
        `  round ${round}: Convene all 250s after ${fmt(c.receipt!.acceptedMs, 0)} ms (${c.receipt!.processedAtLast250} processed by then), ` +
          `all ${MESSAGES} comments stored and messages recorded (answers queued) after ${fmt(c.ms, 0)} ms → ${fmt((MESSAGES / c.ms) * 1000, 0)} replies/s; ` +
          `bare ${fmt(b.ms, 0)} ms → ${fmt((MESSAGES / b.ms) * 1000, 0)} messages/s; ratio ${fmt(ratio, 2)}×`,
      );
      console.log(
        `    CPU per message, Convene / bare: this process ${perMessage(c.cpu)} / ${perMessage(b.cpu)} ms (its event loop ${perMessage(c.thread)} / ${perMessage(b.thread)} ms), ` +
          `PostgreSQL ${perMessage(c.pg)} / ${perMessage(b.pg)} ms, the SMTP client ${perMessage(c.client)} / ${perMessage(b.client)} ms; ` +
          `event loop delay: Convene ${c.delay}; bare ${b.delay}`,
      );
    }

    const refused = await app.prisma.inboundMessage.count({ where: { outcome: { not: 'accepted' }, processedAt: { not: null } } });
    console.log(`  refused: ${refused}`);
    console.log(
      `  load average: ${loadavg()
        .map((l) => fmt(l, 2))
        .join(', ')} (2 cores shared with PostgreSQL and others' work)`,
    );
    // All rounds together: every message of each side over its total time (a round that a passing
    // load slowed counts for its share, not as a separate verdict).
    const ratio = rounds.reduce((n, r) => n + r.bareMs, 0) / rounds.reduce((n, r) => n + r.conveneMs, 0);
    const each = rounds.map((r) => fmt(r.bareMs / r.conveneMs, 2)).join(', ');
    console.log(`  ratio:   ${fmt(ratio, 2)}× over ${ROUNDS} rounds (each: ${each}) (goal ≥ 0.5×: ${ratio >= 0.5 ? 'meets' : 'MISSES'})`);
    if (stats) {
      // The answers' mail jobs may still be running: what they did so far is counted too.
      const { rows } = await stats.query(
        `SELECT calls, round(total_exec_time::numeric) AS total_ms, round(total_plan_time::numeric) AS plan_ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 150) AS query
         FROM pg_stat_statements WHERE query !~* 'pg_stat_statements' ORDER BY total_exec_time + total_plan_time DESC LIMIT 25`,
      );
      const {
        rows: [sum],
      } = await stats.query(
        `SELECT sum(calls) AS calls, sum(total_exec_time) AS exec, sum(total_plan_time) AS plan FROM pg_stat_statements WHERE query !~* 'pg_stat_statements'`,
      );
      console.log(`  PostgreSQL time per reply: executing ${fmt(sum.exec / MESSAGES, 3)} ms, planning ${fmt(sum.plan / MESSAGES, 3)} ms`);
      console.log(`  statements per reply: ${fmt(Number(sum.calls) / MESSAGES, 1)}; the 25 that took PostgreSQL longest (executing, planning):`);
      for (const r of rows)
        console.log(
          `  ${fmt(Number(r.calls) / MESSAGES, 2).padStart(6)}/reply ${String(r.total_ms).padStart(6)} ms ${String(r.plan_ms).padStart(5)} ms plan  ${r.query}`,
        );
      await stats.end();
    }
    if (refused) process.exitCode = 1;
  } finally {
    client.close();
    await bare.close();
    await app.close();
    await db.cleanup();
  }
}
