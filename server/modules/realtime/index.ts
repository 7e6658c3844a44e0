// The realtime module: the daily pruning of the realtime log. No routes; socket.io itself is the
// realtime plugin (plugins/realtime.ts), and each module registers its own socket events.
import fp from 'fastify-plugin';
import { defineRealtimeJobs } from './prune-events.ts';

export default fp(
  async (app) => {
    defineRealtimeJobs(app.ctx, app.jobs);
  },
  { name: 'modules/realtime', dependencies: ['realtime', 'jobs'] },
);
