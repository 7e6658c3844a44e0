// JSON shape of a milestone, for HTTP, socket events and audit entries alike.
import type { Milestone } from '../../generated/prisma/client.ts';
import { lower } from '../../lib/enum-case.ts';

export const presentMilestone = (m: Milestone) => ({
  id: m.id,
  at: m.at.toISOString(),
  kind: lower(m.kind),
  label: m.label,
  effect: m.effect ? lower(m.effect) : null,
  revisionId: m.revisionId,
});
