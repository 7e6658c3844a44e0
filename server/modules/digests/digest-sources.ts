// Hook points for the modules that own what a digest talks about: the digest of a reached milestone
// is built from whatever data the sources provide. A kind with no source yet still gets a digest
// built from the milestone and the timeframe.
//
// One registry per app instance (app.digestSources): two apps in one process (tests, a worker
// beside a web instance) each read their own modules' sources, never the last one built.
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

export interface DigestSources {
  /** The revision a DRAFT_POSTED / CONVENERS_DRAFT_POSTED milestone is about. */
  revision(reached: ReachedMilestone): Promise<{ title: string; url: string; clauses: ClauseRef[] } | null>;
  /** Comments of the period a COMMENTS_CLOSE / FINAL_COMMENTS_CLOSE milestone closes. */
  commentCounts(reached: ReachedMilestone): Promise<CommentCounts | null>;
  /** Changes, dispositions and objections for the conveners' draft. */
  convenersDraft(reached: ReachedMilestone): Promise<Pick<ConvenersDraftData, 'changes' | 'dispositions' | 'objections'> | null>;
  /** Links of the published final report and disposition table. */
  finalReport(reached: ReachedMilestone): Promise<{ reportUrl: string | null; dispositionTableUrl: string | null } | null>;
}

export class DigestSourceRegistry {
  private readonly sources: Partial<DigestSources> = {};

  /** Installs the source of `name` (a later one replaces it: a test's stand-in, say). */
  provide<K extends keyof DigestSources>(name: K, source: DigestSources[K]): void {
    this.sources[name] = source;
  }

  /** Whether a module has provided the source of `name`. */
  has(name: keyof DigestSources): boolean {
    return name in this.sources;
  }

  async read<K extends keyof DigestSources>(name: K, reached: ReachedMilestone): Promise<Awaited<ReturnType<DigestSources[K]>> | null> {
    const source = this.sources[name] as ((r: ReachedMilestone) => Promise<Awaited<ReturnType<DigestSources[K]>>>) | undefined;
    return source ? source(reached) : null;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    digestSources: DigestSourceRegistry;
  }
}
