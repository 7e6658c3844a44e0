// Catch-up after a reconnect: the events of a stream after the last sequence number a client saw,
// read from the RealtimeEvent log — or `refetch` when more than `max` were missed (reloading
// over HTTP is then cheaper than a replay), the client's number is not one we handed out, or the
// events after it are no longer in the log (pruned after the retention, prune-events.ts).
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { GroupAction } from '../groups/groups.policy.ts';

export interface LoggedEvent {
  seq: number;
  name: string;
  read: GroupAction | null;
  at: string;
  data: unknown;
}

export interface CatchUp {
  head: number;
  events: LoggedEvent[];
  refetch: boolean;
}

export async function readStreamHead(prisma: PrismaClient, stream: string): Promise<number> {
  const row = await prisma.realtimeStream.findUnique({ where: { key: stream }, select: { lastSeq: true } });
  return row?.lastSeq ?? 0;
}

export async function readMissedEvents(prisma: PrismaClient, stream: string, since: number | null, max: number): Promise<CatchUp> {
  const head = await readStreamHead(prisma, stream);
  if (since === null) return { head, events: [], refetch: false };
  if (since > head || head - since > max) return { head, events: [], refetch: true };
  const rows = await prisma.realtimeEvent.findMany({
    where: { stream, seq: { gt: since } },
    orderBy: { seq: 'asc' },
    take: max,
    select: { seq: true, name: true, readAction: true, createdAt: true, data: true },
  });
  if (since < head && rows[0]?.seq !== since + 1) return { head, events: [], refetch: true };
  return {
    head,
    refetch: false,
    events: rows.map((r) => ({ seq: r.seq, name: r.name, read: r.readAction as GroupAction | null, at: r.createdAt.toISOString(), data: r.data })),
  };
}

/** One logged event by id (for NOTIFY messages whose data was too large to travel inline). */
export async function readLoggedEvent(prisma: PrismaClient, id: string) {
  return prisma.realtimeEvent.findUnique({ where: { id: BigInt(id) }, select: { data: true } });
}
