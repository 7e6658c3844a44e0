// Writes per signed-in account, on top of the per-IP request limit (security.ts): an account is
// one actor whatever addresses it comes from (a botnet, an address-hopping client, many instances
// behind a balancer), so its writes are counted under its id in the store all instances share.
// That store (lib/rate-limit.ts, also used by digest subscriptions) is pruned daily from here.
import fp from 'fastify-plugin';
import { AppError } from '../lib/app-error.ts';
import { hitRateLimit, passWithoutWaiting, pruneRateLimits } from '../lib/rate-limit.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const PRUNE_RATE_LIMITS_QUEUE = 'rate-limits.prune';

export default fp(
  async (app) => {
    const { ctx, jobs } = app;
    jobs.define<object>(PRUNE_RATE_LIMITS_QUEUE, {
      queue: { retryLimit: 3 },
      handler: async () => {
        ctx.log.info({ deleted: await pruneRateLimits(ctx) }, 'ended rate-limit windows pruned');
      },
    });
    // Daily, once across instances (a pg-boss schedule).
    jobs.onStarted(async () => {
      await jobs.boss.schedule(PRUNE_RATE_LIMITS_QUEUE, '40 3 * * *', {}, { tz: 'UTC' });
    });

    const limit = app.ctx.config.limits.writesPerAccount;
    // preValidation, after authenticate's: the account is known, and a refused write is not parsed further.
    // A callback hook: most writes are let through without waiting (passWithoutWaiting), and then
    // this costs no promise on the request's path (every write runs it).
    const refused = (retryAfterSeconds: number) =>
      AppError.tooManyRequests(`Too many changes from your account in a short time; wait ${retryAfterSeconds} seconds and try again.`, retryAfterSeconds);
    app.addHook('preValidation', (request, _reply, done) => {
      if (!request.auth || SAFE_METHODS.has(request.method)) return done();
      const key = `writes:user:${request.auth.user.id}`;
      if (passWithoutWaiting(app.ctx, key, limit)) return done();
      hitRateLimit(app.ctx, key, limit).then(
        (hit) => done(hit.allowed ? undefined : refused(hit.retryAfterSeconds)),
        (error: Error) => done(error),
      );
    });
  },
  { name: 'account-limits', dependencies: ['context', 'authenticate', 'jobs'] },
);
