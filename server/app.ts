// Builds the Convene application: infrastructure plugins first, then one plugin per domain module.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyServerOptions } from 'fastify';
import fastifyStatic from '@fastify/static';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { createCompiledSerializer } from './lib/compiled-serializer.ts';
import { AppError } from './lib/app-error.ts';
import type { Config } from './config.ts';
import contextPlugin from './plugins/context.ts';
import errorsPlugin from './plugins/errors.ts';
import drainPlugin from './plugins/drain.ts';
import authenticatePlugin from './plugins/authenticate.ts';
import accountLimitsPlugin from './plugins/account-limits.ts';
import mailerPlugin from './plugins/mailer.ts';
import mailQueuePlugin from './plugins/mail-queue.ts';
import openapiPlugin from './plugins/openapi.ts';
import prismaPlugin from './plugins/prisma.ts';
import loadSheddingPlugin from './plugins/load-shedding.ts';
import realtimePlugin from './plugins/realtime.ts';
import compressionPlugin from './plugins/compression.ts';
import securityPlugin from './plugins/security.ts';
import textInputPlugin from './plugins/text-input.ts';
import jobsPlugin from './plugins/jobs.ts';
import metricsPlugin from './plugins/metrics.ts';
import personalDataPlugin from './plugins/personal-data.ts';
import realtimeModule from './modules/realtime/index.ts';
import healthModule from './modules/health/index.ts';
import authModule from './modules/auth/index.ts';
import usersModule from './modules/users/index.ts';
import groupsModule from './modules/groups/index.ts';
import auditModule from './modules/audit/index.ts';
import adminModule from './modules/admin/index.ts';
import mailboxModule from './modules/mailbox/index.ts';
import digestsModule from './modules/digests/index.ts';
import notificationsModule from './modules/notifications/index.ts';
import revisionsModule from './modules/revisions/index.ts';
import periodsModule from './modules/periods/index.ts';
import timeframeModule from './modules/timeframe/index.ts';
import commentsModule from './modules/comments/index.ts';
import dispositionsModule from './modules/dispositions/index.ts';
import interchangeModule from './modules/interchange/index.ts';
import calendarModule from './modules/calendar/index.ts';
import workProgrammeModule from './modules/work-programme/index.ts';
import consultationsModule from './modules/consultations/index.ts';
import privacyModule from './modules/privacy/index.ts';
import clientShellRoutes from './modules/client-shell/index.ts';
import openConsultationModule from './modules/open-consultation/index.ts';
import liaisonsModule from './modules/liaisons/index.ts';
import mailinModule from './modules/mailin/index.ts';

/**
 * The domain modules, in load order. Each is one plugin (its index.ts) that registers its own socket
 * events, subscribers, jobs and routes. An explicit list rather than a directory scan: order matters
 * where one module decorates what a later one uses (digests' app.digestSources, filled by periods and
 * dispositions, which declare the dependency and fail at start if it is missing); and the routes'
 * order is the OpenAPI document's order. The client shell is not listed: it comes after the static files.
 */
export const MODULES = [
  healthModule,
  authModule,
  usersModule,
  groupsModule,
  auditModule,
  adminModule,
  mailboxModule,
  digestsModule,
  notificationsModule,
  revisionsModule,
  periodsModule,
  timeframeModule,
  commentsModule,
  dispositionsModule,
  calendarModule,
  realtimeModule,
  workProgrammeModule,
  consultationsModule,
  interchangeModule,
  openConsultationModule,
  liaisonsModule,
  privacyModule,
  mailinModule,
];

// The browser client as built by `npm run build:client` (Vite): hashed assets plus index.html.
const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../client/dist');

export interface BuildOptions {
  config: Config;
  databaseUrl: string;
  logger?: FastifyServerOptions['logger'];
}

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  if (config.env === 'test') return false;
  return {
    level: config.logLevel,
    redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
    ...(config.env === 'development'
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', singleLine: true } } }
      : {}),
  };
}

/**
 * The request id in every log line of a request: the proxy's X-Request-Id when it sent a sane one
 * (so the proxy's log and ours join up), else a fresh UUID. Echoed in the answer's X-Request-Id.
 */
export function requestIdOf(req: IncomingMessage): string {
  const sent = req.headers['x-request-id'];
  return typeof sent === 'string' && /^[\w.:-]{8,128}$/.test(sent) ? sent : randomUUID();
}

export async function buildApp({ config, databaseUrl, logger }: BuildOptions) {
  const app = Fastify({
    logger: logger ?? loggerOptions(config),
    bodyLimit: config.limits.bodyBytes,
    trustProxy: config.trustProxy,
    genReqId: requestIdOf,
    // Strict zod schemas name unknown fields; do not let Fastify strip them silently first.
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(createCompiledSerializer({ check: config.checkResponses, log: app.log }));
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  // Compiled once per route from its response schema; checked against zod's encoding where config says (tests).
  app.setSerializerCompiler(createCompiledSerializer({ check: config.checkResponses, log: app.log }));

  await app.register(errorsPlugin);
  await app.register(drainPlugin);
  await app.register(prismaPlugin, { databaseUrl, statementTimeoutMs: config.load.statementTimeoutMs });
  await app.register(loadSheddingPlugin, { config });
  await app.register(contextPlugin, { config });
  await app.register(securityPlugin, { config });
  await app.register(compressionPlugin);
  await app.register(textInputPlugin);
  await app.register(mailerPlugin, { config });
  await app.register(openapiPlugin, { config });
  await app.register(authenticatePlugin);
  await app.register(realtimePlugin, { databaseUrl });
  await app.register(jobsPlugin, { config, databaseUrl });
  await app.register(mailQueuePlugin);
  // After jobs: it schedules the pruning of the rate-limit store. Its hook still runs after authenticate's.
  await app.register(accountLimitsPlugin);
  await app.register(metricsPlugin, { config });
  await app.register(personalDataPlugin);

  for (const module of MODULES) await app.register(module);

  // The browser client: static files, and index.html for the client's own routes.
  // Hashed files under /assets/ never change, so they are cached for a year; everything else
  // (index.html, base.css) is revalidated. The build writes .br/.gz twins: no compression per request.
  await app.register(fastifyStatic, {
    root: CLIENT_DIR,
    prefix: '/',
    wildcard: false,
    index: false,
    preCompressed: true,
    cacheControl: false,
    setHeaders: (res, filePath) => {
      res.header(
        'cache-control',
        /[\\/]assets[\\/][^\\/]+-[\w-]{8}\.(js|css)(\.br|\.gz)?$/.test(filePath) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  // The document view's page carries its first data (modules/client-shell); other client routes
  // get index.html as it is.
  await app.register(clientShellRoutes, { clientDir: CLIENT_DIR });
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/api/') && !path.extname(request.url.split('?')[0]!)) {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
    }
    // Through the error handler, so the sentence is in the caller's language like every other error's.
    throw new AppError('not_found', 404, `There is no ${request.method} ${request.url.split('?')[0]} here.`);
  });

  return app;
}
