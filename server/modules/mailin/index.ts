// Taking part by e-mail. Three ways in — the embedded SMTP receiver, an MTA's pipe to
// POST /api/mail/inbound, an IMAP mailbox — and one pipeline: store the raw message with its job
// (receive-message.ts), then the job reads it and acts through the use cases (process-message.ts).
// The operator reads the inbound log at GET /api/admin/mail/inbound.
//
// For operations: every stored message raises `mailin.received` (duplicate: true for a redelivery)
// and every processed one `mailin.processed` (outcome, reason) after commit; count those.
import { timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import pg from 'pg';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../lib/app-error.ts';
import { errors } from '../../lib/schemas.ts';
import { requireOperator } from '../../plugins/authenticate.ts';
import { durableQueue } from '../../plugins/jobs.ts';
import { cachedResolver, fromAuthenticationResults, type DnsResolver } from './authentication.ts';
import { startImapPoller, type ImapPoller } from './imap-poller.ts';
import { InboundLogQuery, InboundLogSchema, PipeResultSchema } from './mailin.schemas.ts';
import { localProcessing } from './local-processing.ts';
import { mailReader } from './mail-reader.ts';
import { parseMail } from './read-mail.ts';
import { readInboundLog } from './read-inbound-log.ts';
import { INBOUND_QUEUE, receiveMessage, receiveOn, type InboundJob } from './receive-message.ts';
import { startSmtpReceiver, type SmtpReceiver } from './smtp-receiver.ts';

export { defineReplyTarget } from './reply-targets.ts';

export interface MailIntake {
  /** The embedded receiver's port once listening (null: off). */
  smtpPort: number | null;
  /** DNS for the DKIM/SPF/DMARC checks (tests give a stub with their own keys); default: the system's. */
  resolver: DnsResolver | undefined;
  imap: ImapPoller | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    mailIntake: MailIntake;
  }
}

/** Messages one recovery job processes together (a window can hold thousands). */
const RECOVERY_BATCH = 100;

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

const mailinRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx, config } = app;
  // The pipe's body is the raw message, as the MTA has it.
  for (const type of ['message/rfc822', 'application/octet-stream']) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: config.mailIn.maxBytes }, (_req, body, done) => done(null, body));
  }

  app.post(
    '/api/mail/inbound',
    {
      config: { csrf: false, session: 'none' },
      schema: {
        tags: ['mail'],
        summary: "An MTA's pipe: one raw message (message/rfc822) for Convene's reply addresses",
        description:
          'Authorization: Bearer MAIL_INBOUND_SECRET. Optional X-Envelope-From and X-Envelope-To (comma-separated) carry the SMTP envelope. ' +
          "The message is stored (once per Message-ID) before 202 is answered, then processed by a job. The receiving MTA's Authentication-Results header " +
          '(from MAIL_INBOUND_AUTHSERV_ID when set) decides DMARC. 404 when no secret is configured.',
        response: { 202: PipeResultSchema, ...errors },
      },
    },
    async (request, reply) => {
      const secret = config.mailIn.pipeSecret;
      if (!secret) throw AppError.notFound('The mail pipe (MAIL_INBOUND_SECRET is not set on this server)', 'mail_pipe_disabled');
      const given = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim() ?? '';
      if (!sameSecret(given, secret))
        throw new AppError('invalid_pipe_secret', 401, 'The mail pipe needs its secret: Authorization: Bearer MAIL_INBOUND_SECRET.');
      const raw = request.body;
      if (!Buffer.isBuffer(raw) || !raw.length) {
        throw AppError.unsupportedMediaType('raw_message_expected', 'Send one raw e-mail message as the body, with Content-Type: message/rfc822.');
      }
      const parsed = await parseMail(raw);
      const header = (name: string) => {
        const v = request.headers[name];
        return (Array.isArray(v) ? v[0] : v)?.trim();
      };
      const result = await receiveMessage(ctx, {
        raw,
        source: 'http',
        envelopeFrom: header('x-envelope-from')?.toLowerCase() ?? null,
        envelopeTo: (header('x-envelope-to') ?? '')
          .split(',')
          .map((a) => a.trim().toLowerCase())
          .filter(Boolean),
        remoteAddress: request.ip,
        authentication: fromAuthenticationResults(parsed, config),
      });
      return reply.status(202).send(result);
    },
  );

  app.get(
    '/api/admin/mail/inbound',
    {
      schema: {
        tags: ['admin'],
        summary: 'The inbound mail log: every message received, and what became of it (operator)',
        querystring: InboundLogQuery,
        response: { 200: InboundLogSchema, ...errors },
      },
    },
    async (request) => {
      requireOperator(request);
      return { messages: await readInboundLog(ctx, request.query) };
    },
  );
};

export default fp(
  async (app) => {
    const { ctx, config } = app;
    const intake: MailIntake = { smtpPort: null, resolver: undefined, imap: null };
    app.decorate('mailIntake', intake);

    const { deadLetter: _none, ...inboundQueue } = durableQueue(config);
    app.jobs.define<InboundJob>(INBOUND_QUEUE, {
      // Retried like event deliveries; one that fails every attempt stays unprocessed ("pending") in the inbound log.
      queue: inboundQueue,
      work: { localConcurrency: 2 },
      handler: async (job) => {
        const ids = 'from' in job.data ? await unprocessedBetween(job.data.from, job.data.to) : 'ids' in job.data ? job.data.ids : [job.data.id];
        // One held by the fast path (or another instance) right now, or one that failed: tried again later.
        let all = true;
        for (let i = 0; i < ids.length; i += RECOVERY_BATCH) all = (await local.processLocked(ids.slice(i, i + RECOVERY_BATCH))) && all;
        if (!all) throw new Error('inbound messages processed elsewhere or not processed; retried later');
      },
    });
    /** A receipt window's messages still unprocessed (their ids are time-ordered UUIDv7s). */
    const unprocessedBetween = async (from: string, to: string) => {
      const { rows } = await app.jobs.pool.query<{ id: string }>(
        'SELECT id FROM "InboundMessage" WHERE id >= $1::uuid AND id < $2::uuid AND "processedAt" IS NULL ORDER BY id',
        [from, to],
      );
      return rows.map((r) => r.id);
    };
    // One cache per resolver: a test (or an operator's tool) that sets its own starts afresh.
    const resolvers = new WeakMap<DnsResolver, DnsResolver>();
    const system = cachedResolver();
    const resolver = () => {
      const given = intake.resolver;
      if (!given) return system;
      let cached = resolvers.get(given);
      if (!cached) {
        cached = cachedResolver(given);
        resolvers.set(given, cached);
      }
      return cached;
    };
    // On the event loop, one batch at a time: the messages stored meanwhile make the next batch
    // larger, and a larger batch costs fewer statements per message (bench/mail-intake.bench.ts: 2.3 ms
    // of CPU per reply with one at a time, 2.6-2.9 ms with two). With reading threads, two: while one
    // batch waits for its thread, the event loop decides and records the other; one at a time left
    // processing up to 2 s behind receipt on a loaded machine (the thread's turn on a core is what
    // a batch waited for), two kept it within 0.2 s at the same CPU per reply.
    const reader = mailReader({ threads: config.mailIn.threads, resolver });
    const local = localProcessing(ctx, app.jobs.pool, { concurrency: config.mailIn.threads > 0 ? 2 : 1, reader });
    // One connection for receipts, used pipelined (receive-message.ts): a batch is one round trip.
    // Its statements are bounded like a request's: a receipt still being written when its window's
    // recovery job starts (receive-message.ts) is what the bound rules out.
    const receipts = new pg.Pool({
      ...app.jobs.pool.options,
      max: 1,
      application_name: 'convene-mail-receipts',
      statement_timeout: config.load.statementTimeoutMs,
    });
    receipts.on('error', (err) => app.log.warn({ err }, 'idle mail receipt connection lost'));
    receiveOn(ctx, receipts);
    // A message stored here is processed here at once (its job remains the durable path);
    // drain() then covers it, as it covers what a request caused. Not on a web-only instance.
    ctx.events.on('mailin.received', ({ inboundId, duplicate }) => {
      if (duplicate || !config.jobs.workers) return;
      return local.take(inboundId);
    });

    let receiver: SmtpReceiver | null = null;
    app.addHook('onReady', async () => {
      // Receipts and records are written outside the outbox's transactions (receive-message.ts, process-message.ts).
      const outboxless = ['mailin.received', 'mailin.processed', 'mail.queued'];
      const durable = ctx.events.durableSubscribers().find((d) => outboxless.includes(d.event));
      if (durable) throw new Error(`${durable.event} takes in-process subscribers only: it is written without the outbox`);
      if (config.mailIn.smtp) {
        const where = `${config.mailIn.smtp.host}:${config.mailIn.smtp.port}`;
        try {
          receiver = await startSmtpReceiver(ctx, config.mailIn.smtp);
          intake.smtpPort = receiver.port;
          app.log.info(`Replies by e-mail: SMTP on ${config.mailIn.smtp.host}:${receiver.port} for @${config.mailIn.replyDomain}`);
        } catch (err) {
          const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
          // A second development instance on the same machine still serves the web without it.
          if (config.env === 'development') app.log.warn(`Replies by e-mail are off: the SMTP receiver cannot listen on ${where} (${why}).`);
          else {
            throw new Error(
              `Convene cannot start: the SMTP receiver for replies cannot listen on ${where} (${why}). Set MAIL_INBOUND_SMTP_PORT to a free port, or MAIL_INBOUND_SMTP=off.`,
            );
          }
        }
      }
      if (config.mailIn.imap) intake.imap = startImapPoller(ctx, config.mailIn.imap);
    });
    // Before the jobs plugin stops: no new message is accepted once shutdown begins.
    app.addHook('preClose', async () => {
      await receiver?.close();
      await intake.imap?.stop();
      await local.close();
      await reader.close();
    });
    app.addHook('onClose', async () => {
      await receipts.end();
    });

    // A raw message holds a person's whole mail (quoted text, signature, headers): once processed it
    // is kept only for the retention period; the inbound log's line (outcome, reason) stays.
    app.retention.register({
      name: 'raw inbound mail',
      prune: (c) =>
        c.prisma.$executeRaw`
          UPDATE "InboundMessage" SET raw = ''::bytea
          WHERE "processedAt" < now() - make_interval(secs => ${c.config.retention.inboundMailMs / 1000}::double precision)
            AND octet_length(raw) > 0`,
    });

    await app.register(mailinRoutes);
  },
  { name: 'modules/mailin', dependencies: ['jobs', 'mail-queue', 'personal-data'] },
);
