// Writes per signed-in account, on top of the per-IP request limit (security.ts): an account is
// one actor whatever addresses it comes from (a botnet, an address-hopping client, many instances
// behind a balancer), so its writes are counted under its id in the store all instances share.
// That store (lib/rate-limit.ts, also used by digest subscriptions) is pruned daily from here.
import fp from 'fastify-plugin';
import { AppError } from '../lib/app-error.ts';
import { hitRateLimit, pruneRateLimits } from '../lib/rate-limit.ts';

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
    app.addHook('preValidation', async (request) => {
      if (!request.auth || SAFE_METHODS.has(request.method)) return;
      const hit = await hitRateLimit(app.ctx, `writes:user:${request.auth.user.id}`, limit);
      if (!hit.allowed) {
        throw AppError.tooManyRequests(
          `Too many changes from your account in a short time; wait ${hit.retryAfterSeconds} seconds and try again.`,
          hit.retryAfterSeconds,
        );
      }
    });
  },
  { name: 'account-limits', dependencies: ['context', 'authenticate', 'jobs'] },
);
