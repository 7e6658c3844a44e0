// The only place that reads process.env. Everything is validated once, at start; a bad value
// stops the server with a sentence that names the variable.
import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEV_SECRET = 'convene-development-secret-do-not-use-in-production';
/**
 * Secrets published in this repository (the development fallback, the old compose default, the
 * examples in the docs): anyone can sign session tokens with them, so production refuses them.
 */
export const KNOWN_SECRETS = new Set([
  DEV_SECRET,
  'change-me-to-a-long-random-string-of-32-chars',
  'test-secret-test-secret-test-secret-0123',
  'bench-secret-bench-secret-bench-secret-01',
]);

const duration = (what: string) =>
  z.coerce
    .number({ error: `must be a number of ${what}` })
    .int(`must be a whole number of ${what}`)
    .positive(`must be a positive number of ${what}`);

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], { error: 'must be development, production or test' }).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int()
    .min(1, 'must be a port number between 1 and 65535')
    .max(65535, 'must be a port number between 1 and 65535')
    .default(3000),
  PUBLIC_URL: z
    .url({ error: 'must be an absolute http(s) URL such as https://convene.example.org' })
    .refine((u) => /^https?:\/\//.test(u), 'must start with http:// or https://')
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection URL')
    .optional(),
  DATA_DIR: z.string().min(1).default(path.join(projectRoot, 'data')),
  EMBEDDED_PG_PORT: z.coerce.number({ error: 'must be a port number' }).int().min(1024).max(65535).default(54329),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z
    .string()
    .regex(/^[^\r\n]*<[^@\s<>]+@[^@\s<>]+>$|^[^@\s<>]+@[^@\s<>]+$/, 'must be an address like "Convene <convene@example.org>"')
    .default('Convene <convene@localhost>'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  SESSION_IDLE_MINUTES: duration('minutes').default(7 * 24 * 60),
  SESSION_ABSOLUTE_DAYS: duration('days').default(30),
  OPERATOR_EMAIL: z.email({ error: 'must be an e-mail address' }).default('operator@convene.localhost'),
  SEED: z.enum(['auto', 'never'], { error: 'must be auto or never' }).default('auto'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be a pino log level' }).default('info'),
  TRUST_PROXY: z.string().default('false'),
  SHUTDOWN_GRACE_MS: duration('milliseconds').default(10_000),
  // Instances that share a database and this name form one realtime cluster (PostgreSQL NOTIFY channels).
  REALTIME_CHANNEL: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,40}$/, 'must be lower-case letters, digits and _ (at most 41), starting with a letter')
    .default('convene'),
  // The realtime log serves reconnect catch-up (≤ replayMax events); older rows are pruned daily.
  REALTIME_RETENTION_DAYS: duration('days').default(7),
  JOBS_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a PostgreSQL schema name such as pgboss')
    .default('pgboss'),
  JOBS_WORKERS: z.enum(['true', 'false'], { error: 'must be true or false' }).default('true'),
  JOBS_POLL_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).min(0.5, 'must be at least 0.5 seconds').default(2),
  // How often the job store is supervised: a job left running by a killed instance is retried within
  // its heartbeat (10 s for mail) plus this interval.
  JOBS_SUPERVISE_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1 second')
    .max(3600, 'must be at most 3600 seconds')
    .default(30),
  DIGEST_SEND_CONCURRENCY: z.coerce
    .number({ error: 'must be a number' })
    .int()
    .min(1, 'must be between 1 and 32')
    .max(32, 'must be between 1 and 32')
    .default(4),
  DELIVERY_MAX_ATTEMPTS: z.coerce.number({ error: 'must be a number' }).int().min(1, 'must be at least 1').default(10),
  // 0: a refused message is tried again at once (at the job queue's next poll), without backoff.
  DELIVERY_RETRY_BASE_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(0, 'must be 0 or a positive number of milliseconds')
    .default(60_000),
  // A sender's claim on a delivery lasts this long unless renewed (it renews it while sending);
  // an instance killed mid-send leaves claims that any other takes over once they run out.
  DELIVERY_LEASE_MS: duration('milliseconds').min(500, 'must be at least 500 milliseconds').default(30_000),
  // How often each worker instance looks for digests nobody is sending any more.
  DELIVERY_SWEEP_MS: duration('milliseconds').min(100, 'must be at least 100 milliseconds').default(10_000),
  DKIM_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a domain name such as lists.example.org')
    .optional(),
  DKIM_SELECTOR: z
    .string()
    .regex(/^[a-z0-9._-]+$/i, 'must be a DKIM selector such as convene')
    .optional(),
  DKIM_PRIVATE_KEY: z.string().includes('PRIVATE KEY', { message: 'must be a PEM private key (newlines may be written as \\n)' }).optional(),
  MAIL_UNSUBSCRIBE_ADDRESS: z.email({ error: 'must be an e-mail address' }).optional(),
  // Under load and at shutdown: how long kept-alive clients get to hear "go elsewhere", when to
  // shed load (503 + Retry-After) and how long one database statement may run.
  SHUTDOWN_DRAIN_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(0, 'must be 0 or more milliseconds').default(2_000),
  LOAD_SHEDDING: z.enum(['true', 'false'], { error: 'must be true or false' }).default('true'),
  LOAD_MAX_EVENT_LOOP_DELAY_MS: duration('milliseconds').default(500),
  LOAD_MAX_EVENT_LOOP_UTILIZATION: z.coerce.number({ error: 'must be a number' }).gt(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').default(1),
  LOAD_MAX_POOL_WAITING: duration('requests').default(40),
  LOAD_MAX_IN_FLIGHT: duration('requests').default(32),
  LOAD_MAX_IN_FLIGHT_DEADLINE_WRITES: duration('requests').default(96),
  LOAD_SAMPLE_INTERVAL_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(10, 'must be at least 10 milliseconds').default(1_000),
  LOAD_RETRY_AFTER_SECONDS: duration('seconds').default(5),
  DATABASE_STATEMENT_TIMEOUT_MS: duration('milliseconds').default(10_000),
  // GET /metrics (Prometheus) answers only a scraper sending `Authorization: Bearer <token>`; unset: no /metrics.
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  // Retention: used or expired sign-in links, and ended (expired or revoked) sessions, are deleted
  // this long after they stopped working (a daily job; they are kept a while for the audit of sign-ins).
  RETENTION_SIGN_IN_TOKENS_DAYS: duration('days').default(7),
  RETENTION_SESSIONS_DAYS: duration('days').default(30),
  // The raw bytes of a received reply are emptied this long after it was processed (the inbound log keeps the rest).
  RETENTION_INBOUND_MAIL_DAYS: duration('days').default(30),
  // Taking part by e-mail: replies come to reply+<token>@MAIL_REPLY_DOMAIN through the embedded
  // SMTP receiver, an MTA's pipe to POST /api/mail/inbound, or an IMAP mailbox Convene polls.
  MAIL_REPLY_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a domain name such as convene.example.org')
    .optional(),
  MAIL_INBOUND_SMTP: z.enum(['on', 'off'], { error: 'must be on or off' }).optional(),
  MAIL_INBOUND_SMTP_HOST: z.string().min(1).optional(),
  MAIL_INBOUND_SMTP_PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int()
    .min(0, 'must be a port number between 0 (any free port) and 65535')
    .max(65535, 'must be a port number between 0 (any free port) and 65535')
    .default(2525),
  MAIL_INBOUND_SECRET: z.string().min(24, 'must be at least 24 characters (e.g. `openssl rand -hex 24`)').optional(),
  // The authserv-id of the receiving MTA: only its Authentication-Results header is believed.
  MAIL_INBOUND_AUTHSERV_ID: z.string().min(1).optional(),
  MAIL_INBOUND_REQUIRE_AUTH: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  MAIL_INBOUND_MAX_BYTES: duration('bytes').default(10 * 1024 * 1024),
  MAIL_INBOUND_THREADS: z.coerce.number({ error: 'must be a number' }).int().min(0, 'must be 0 (on the event loop) or more threads').max(16).default(1),
  MAIL_INBOUND_RECOVERY_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int()
    .min(1, 'must be at least 1 second')
    .max(86_400, 'must be at most a day (86400)')
    .default(60),
  IMAP_URL: z
    .string()
    .regex(/^imaps?:\/\//, 'must be an imap:// or imaps:// URL such as imaps://user:password@imap.example.org/INBOX')
    .optional(),
  IMAP_POLL_SECONDS: duration('seconds').default(60),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Signs every outgoing message (sign-in links too: a p=reject domain would drop them unsigned). */
  dkim: { domainName: string; keySelector: string; privateKey: string } | undefined;
  sessionSecret: string;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  operatorEmail: string;
  seed: 'auto' | 'never';
  logLevel: string;
  /**
   * Which X-Forwarded-For entries to believe (Fastify's trustProxy): none, or those appended by
   * proxies at these addresses/CIDRs (walking back from the connection's own address).
   */
  trustProxy: false | string[];
  shutdownGraceMs: number;
  realtimeChannel: string;
  /** RealtimeEvent rows older than this are deleted by a daily job (a later catch-up answers `refetch`). */
  realtimeRetentionMs: number;
  /** Durable jobs (pg-boss) in the same database, in their own schema. */
  jobs: { schema: string; pollSeconds: number; workers: boolean; superviseSeconds: number };
  digests: {
    sendConcurrency: number;
    /** Temporary failures (4xx, unreachable) are retried this many times, then dead-lettered. */
    maxAttempts: number;
    retryBaseMs: number;
    /** How long a sender's claim on a delivery lasts unless renewed; renewed every third of it while sending. */
    leaseMs: number;
    /** How often a worker instance wakes digests left with expired claims (their sender died). */
    sweepMs: number;
    /** The mailto: of List-Unsubscribe. */
    unsubscribeAddress: string;
  };
  /**
   * Every response is also encoded by its zod schema and compared with the compiled serializer's
   * text (lib/compiled-serializer.ts): on in tests, where a presenter that breaks its schema must
   * fail; off elsewhere, where it would double the serialization cost. Not read from the environment.
   */
  checkResponses: boolean;
  /** Limits that tests may tighten or loosen; not read from the environment. */
  limits: {
    signInPerAddress: { max: number; windowMs: number };
    signInPerIp: { max: number; windowMs: number };
    /** Anonymous digest subscriptions: confirmation mails one address may be sent (all groups), and requests per IP. */
    subscribePerAddress: { max: number; windowMs: number };
    subscribePerIp: { max: number; windowMs: number };
    requestsPerMinute: number;
    /** Writes (POST, PUT, PATCH, DELETE) one signed-in account may make, from any address, on any instance. */
    writesPerAccount: { max: number; windowMs: number };
    bodyBytes: number;
    /** Word uploads: file size, zip entries, unpacked size, conversion time. */
    docxImport: { maxBytes: number; maxEntries: number; maxUncompressedBytes: number; timeoutMs: number };
    /** Longest comment body, in characters (413 beyond). */
    commentBodyChars: number;
    realtime: {
      /** Catch-up replays at most this many missed events; a larger gap answers `refetch`. */
      replayMax: number;
      /** Token bucket per connection: sustained messages per second, and the burst allowed. */
      messagesPerSecond: number;
      messageBurst: number;
      /** Largest socket message (JSON bytes) a handler accepts; bigger ones get `payload_too_large`. */
      messageBytes: number;
      /** Presence lists name at most this many viewers (and count them all). */
      presenceMax: number;
    };
    /** One-click unsubscribe and public subscribe requests per IP per minute. */
    listRequestsPerIp: number;
    /** Calendar feed fetches (GET /calendar/<token>.ics) per IP per minute: calendar services poll many members' feeds from few addresses. */
    calendarFeedsPerIp: number;
    /** A milestone fired this long after its instant is marked late (the server was down). */
    milestoneLateAfterMs: number;
    /** Public consultations: sign-in links one address may be sent, and per IP; outside comments per address and per IP (all counted in PostgreSQL). */
    consultationLinksPerAddress: { max: number; windowMs: number };
    consultationLinksPerIp: { max: number; windowMs: number };
    outsideCommentsPerAddress: { max: number; windowMs: number };
    outsideCommentsPerIp: { max: number; windowMs: number };
    /** Answers to replies by mail one sender address may be sent (a loop with another robot ends here). */
    mailAnswersPerSender: { max: number; windowMs: number };
  };
  /** Taking part by e-mail: where replies are addressed and how they come in. */
  mailIn: {
    /** The domain of reply+<token>@ addresses. */
    replyDomain: string;
    /** The embedded SMTP receiver: off, or the host and port it listens on (0: any free port). Default: on in development only. */
    smtp: { host: string; port: number } | null;
    /** Bearer secret of the MTA's pipe (POST /api/mail/inbound); without it the pipe answers 404. */
    pipeSecret: string | undefined;
    /** Whose Authentication-Results header to believe on piped mail; unset: the topmost one. */
    authservId: string | undefined;
    /** Refuse replies that pass neither DKIM nor SPF (aligned), not only those failing DMARC. */
    requireAuthentication: boolean;
    maxBytes: number;
    /** Worker threads that parse and authenticate inbound messages (mail-reader.ts); 0: on the event loop. */
    threads: number;
    /**
     * On an instance that processes what it stores, how long after its receipt window closes the
     * window's job processes what was left (after a crash, or a failure); receive-message.ts.
     */
    recoverySeconds: number;
    imap: { url: string; pollSeconds: number } | null;
  };
  /** Bearer token of the Prometheus scraper; undefined: /metrics answers 404. */
  metricsToken: string | undefined;
  /** How long ended sign-in links and sessions are kept before the daily retention job deletes them. */
  retention: { signInTokensMs: number; sessionsMs: number; inboundMailMs: number };
  /** After SIGTERM: requests on kept-alive connections get 503 + Connection: close for up to this long, then idle ones are closed. */
  shutdownDrainMs: number;
  /** Load shedding (@fastify/under-pressure): 503 + Retry-After past these; /api/health is exempt. */
  load: {
    shedding: boolean;
    maxEventLoopDelayMs: number;
    /**
     * Event-loop utilisation, 0–1; 1 (the default) never sheds on it: under a flood of immediate
     * retries the 503s themselves keep utilisation at 1, and shedding on it then sheds everything
     * (bench/overload.bench.ts measured a third of the requests served compared with the delay,
     * in-flight and pool checks alone).
     */
    maxEventLoopUtilization: number;
    /** Requests queued for a database connection (pg Pool waitingCount). */
    maxPoolWaiting: number;
    /** Requests admitted and not yet answered. */
    maxInFlight: number;
    /**
     * The same bound for the writes a deadline is about (comments, edits, withdrawals, replies, a
     * commenter's answer to a disposition): shed last, past this higher bound only, and never on
     * the event loop's sampled delay (the pool queue's bound is doubled for them) — a participant
     * told to retry in five seconds at 23:59:58 has missed the deadline, while a page read can wait.
     */
    maxInFlightDeadlineWrites: number;
    /** The event loop's delay and utilisation are measured over windows this long. */
    sampleIntervalMs: number;
    retryAfterSeconds: number;
    /** PostgreSQL statement_timeout on the app's connections: no one request holds a connection longer. */
    statementTimeoutMs: number;
  };
}

export class ConfigError extends Error {}

const TRUST_PROXY_FORM =
  'TRUST_PROXY must be false or the addresses and CIDR ranges of the proxies in front of Convene, separated by commas (e.g. 10.0.0.0/8,127.0.0.1; also loopback, linklocal, uniquelocal)';
/** proxy-addr's names for address ranges (Fastify accepts them in the list). */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

function parseTrustProxy(value: string): Config['trustProxy'] {
  const v = value.trim();
  if (v === 'false' || v === '0') return false;
  if (v === 'true') {
    // Fastify's `true` takes the left-most X-Forwarded-For entry, which the client writes itself:
    // an appending proxy keeps it, so every per-IP limit would key on a value the client chooses.
    throw new ConfigError(
      'Convene cannot start: TRUST_PROXY=true would believe every X-Forwarded-For entry, so any client could choose its own address and escape the per-IP limits. ' +
        'Give the addresses or ranges of the proxies in front of Convene instead (e.g. TRUST_PROXY=10.0.0.0/8,127.0.0.1, or TRUST_PROXY=loopback for a proxy on the same machine).',
    );
  }
  if (/^\d+$/.test(v)) {
    // Fastify (5.12) fails closed on a hop count: it cannot tell the proxy from a client that
    // reaches Convene directly and writes the header itself. The proxies' addresses can.
    throw new ConfigError(
      `Convene cannot start: TRUST_PROXY=${v} (a number of hops) cannot tell the proxy from a client that connects directly and writes its own X-Forwarded-For, so it is not accepted. ` +
        'Give the addresses or ranges of the proxies in front of Convene instead (e.g. TRUST_PROXY=10.0.0.0/8, or TRUST_PROXY=loopback for a proxy on the same machine).',
    );
  }
  const entries = v.split(',').map((x) => x.trim());
  if (!entries.every(isAddressOrRange)) throw new ConfigError(`Convene cannot start: ${TRUST_PROXY_FORM}.`);
  return entries;
}

export function loadConfig(env: Env = process.env): Config {
  // Empty strings in .env files mean "not set".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}.`);
    throw new ConfigError(`Convene cannot start: ${lines.join(' ')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.SESSION_SECRET) {
    throw new ConfigError('Convene cannot start: SESSION_SECRET must be set in production (at least 32 characters, e.g. `openssl rand -hex 32`).');
  }
  if (e.NODE_ENV === 'production' && e.SESSION_SECRET && KNOWN_SECRETS.has(e.SESSION_SECRET)) {
    throw new ConfigError(
      'Convene cannot start: SESSION_SECRET is a value published with Convene, so anyone could forge sessions; set your own (e.g. `openssl rand -hex 32`).',
    );
  }
  const dkimSet = [e.DKIM_DOMAIN, e.DKIM_SELECTOR, e.DKIM_PRIVATE_KEY].filter(Boolean).length;
  if (dkimSet !== 0 && dkimSet !== 3) {
    throw new ConfigError('Convene cannot start: DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY must be set together (or none of them).');
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    dkim:
      e.DKIM_DOMAIN && e.DKIM_SELECTOR && e.DKIM_PRIVATE_KEY
        ? { domainName: e.DKIM_DOMAIN, keySelector: e.DKIM_SELECTOR, privateKey: e.DKIM_PRIVATE_KEY.replace(/\\n/g, '\n') }
        : undefined,
    sessionSecret: e.SESSION_SECRET ?? DEV_SECRET,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_DAYS * 86_400_000,
    operatorEmail: e.OPERATOR_EMAIL.toLowerCase(),
    seed: e.SEED,
    logLevel: e.LOG_LEVEL,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    realtimeChannel: e.REALTIME_CHANNEL,
    realtimeRetentionMs: e.REALTIME_RETENTION_DAYS * 86_400_000,
    jobs: { schema: e.JOBS_SCHEMA, pollSeconds: e.JOBS_POLL_SECONDS, workers: e.JOBS_WORKERS === 'true', superviseSeconds: e.JOBS_SUPERVISE_SECONDS },
    digests: {
      sendConcurrency: e.DIGEST_SEND_CONCURRENCY,
      maxAttempts: e.DELIVERY_MAX_ATTEMPTS,
      retryBaseMs: e.DELIVERY_RETRY_BASE_MS,
      leaseMs: e.DELIVERY_LEASE_MS,
      sweepMs: e.DELIVERY_SWEEP_MS,
      unsubscribeAddress: (e.MAIL_UNSUBSCRIBE_ADDRESS ?? e.MAIL_FROM.match(/<([^>]+)>/)?.[1] ?? e.MAIL_FROM).toLowerCase(),
    },
    checkResponses: e.NODE_ENV === 'test',
    limits: {
      signInPerAddress: { max: 5, windowMs: 15 * 60_000 },
      signInPerIp: { max: 20, windowMs: 15 * 60_000 },
      subscribePerAddress: { max: 3, windowMs: 60 * 60_000 },
      subscribePerIp: { max: 20, windowMs: 15 * 60_000 },
      requestsPerMinute: 600,
      writesPerAccount: { max: 120, windowMs: 60_000 },
      bodyBytes: 1024 * 1024,
      docxImport: { maxBytes: 10 * 1024 * 1024, maxEntries: 2000, maxUncompressedBytes: 50 * 1024 * 1024, timeoutMs: 10_000 },
      commentBodyChars: 20_000,
      realtime: { replayMax: 500, messagesPerSecond: 10, messageBurst: 30, messageBytes: 4096, presenceMax: 50 },
      listRequestsPerIp: 30,
      calendarFeedsPerIp: 120,
      milestoneLateAfterMs: 60_000,
      consultationLinksPerAddress: { max: 5, windowMs: 60 * 60_000 },
      consultationLinksPerIp: { max: 30, windowMs: 60 * 60_000 },
      outsideCommentsPerAddress: { max: 60, windowMs: 60 * 60_000 },
      outsideCommentsPerIp: { max: 120, windowMs: 60 * 60_000 },
      mailAnswersPerSender: { max: 30, windowMs: 60 * 60_000 },
    },
    mailIn: {
      replyDomain: (e.MAIL_REPLY_DOMAIN ?? new URL(e.PUBLIC_URL ?? 'http://localhost').hostname).toLowerCase(),
      // On by default in development (a local mail client works end to end after `npm start`); in
      // production the operator chooses the intake (this receiver as the MX, an MTA pipe or IMAP);
      // off in tests unless asked.
      smtp:
        (e.MAIL_INBOUND_SMTP ?? (e.NODE_ENV === 'development' ? 'on' : 'off')) === 'on'
          ? { host: e.MAIL_INBOUND_SMTP_HOST ?? e.HOST, port: e.MAIL_INBOUND_SMTP_PORT }
          : null,
      pipeSecret: e.MAIL_INBOUND_SECRET,
      authservId: e.MAIL_INBOUND_AUTHSERV_ID,
      requireAuthentication: e.MAIL_INBOUND_REQUIRE_AUTH === 'true',
      maxBytes: e.MAIL_INBOUND_MAX_BYTES,
      threads: e.MAIL_INBOUND_THREADS,
      recoverySeconds: e.MAIL_INBOUND_RECOVERY_SECONDS,
      imap: e.IMAP_URL ? { url: e.IMAP_URL, pollSeconds: e.IMAP_POLL_SECONDS } : null,
    },
    metricsToken: e.METRICS_TOKEN,
    retention: {
      signInTokensMs: e.RETENTION_SIGN_IN_TOKENS_DAYS * 86_400_000,
      sessionsMs: e.RETENTION_SESSIONS_DAYS * 86_400_000,
      inboundMailMs: e.RETENTION_INBOUND_MAIL_DAYS * 86_400_000,
    },
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    load: {
      shedding: e.LOAD_SHEDDING === 'true',
      maxEventLoopDelayMs: e.LOAD_MAX_EVENT_LOOP_DELAY_MS,
      maxEventLoopUtilization: e.LOAD_MAX_EVENT_LOOP_UTILIZATION,
      maxPoolWaiting: e.LOAD_MAX_POOL_WAITING,
      maxInFlight: e.LOAD_MAX_IN_FLIGHT,
      maxInFlightDeadlineWrites: e.LOAD_MAX_IN_FLIGHT_DEADLINE_WRITES,
      sampleIntervalMs: e.LOAD_SAMPLE_INTERVAL_MS,
      retryAfterSeconds: e.LOAD_RETRY_AFTER_SECONDS,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    },
  };
}
