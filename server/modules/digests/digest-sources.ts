// Hook points for the modules that own what a digest talks about. A milestone reached runs its
// effects (issue 3: open or close a comment period, publish a revision) in the same transaction
// that records the firing; then the digest is built from whatever data the sources provide.
// A kind with no source yet still gets a digest built from the milestone and the timeframe.
//
// Registration is by code at import time (like event subscribers), not per app instance.
import type { Group, Milestone } from '../../generated/prisma/client.ts';
import type { Tx } from '../../lib/use-case.ts';
import type { ClauseRef, CommentCounts, ConvenersDraftData } from './digest-content.ts';

export interface ReachedMilestone {
  tx: Tx;
  milestone: Milestone;
  group: Group;
  /** Database clock when it fired. */
  firedAt: Date;
  late: boolean;
}

export type MilestoneEffect = (reached: ReachedMilestone) => Promise<void>;

export interface DigestSources {
  /** The revision a DRAFT_POSTED / CONVENERS_DRAFT_POSTED milestone is about. */
  revision(reached: ReachedMilestone): Promise<{ title: string; url: string; clauses: ClauseRef[] } | null>;
  /** Comments of the period a COMMENTS_CLOSE / FINAL_COMMENTS_CLOSE milestone closes. */
  commentCounts(reached: ReachedMilestone): Promise<CommentCounts | null>;
  /** Changes, dispositions and objections for the conveners' draft (issue 4). */
  convenersDraft(reached: ReachedMilestone): Promise<Pick<ConvenersDraftData, 'changes' | 'dispositions' | 'objections'> | null>;
  /** Links of the published final report and disposition table. */
  finalReport(reached: ReachedMilestone): Promise<{ reportUrl: string | null; dispositionTableUrl: string | null } | null>;
}

const effects: MilestoneEffect[] = [];
const sources: Partial<DigestSources> = {};

/** Runs `effect` in the firing transaction of every milestone (it decides by milestone.kind). */
export function onMilestoneReached(effect: MilestoneEffect): void {
  effects.push(effect);
}

export function provideDigestSource<K extends keyof DigestSources>(name: K, source: DigestSources[K]): void {
  sources[name] = source;
}

export async function applyMilestoneEffects(reached: ReachedMilestone): Promise<void> {
  for (const effect of effects) await effect(reached);
}

export async function readSource<K extends keyof DigestSources>(name: K, reached: ReachedMilestone): Promise<Awaited<ReturnType<DigestSources[K]>> | null> {
  const source = sources[name] as ((r: ReachedMilestone) => Promise<Awaited<ReturnType<DigestSources[K]>>>) | undefined;
  return source ? source(reached) : null;
}
