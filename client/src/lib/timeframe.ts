// The timeframe as the viewer's clock shows it: which milestones have passed, and the next one
// (the deadline the countdown counts to). Presentation only: the group's phase is the server's
// (the group carries it), never worked out here. Pure, so tests and future screens share it.
export interface Dated {
  at: string;
}
export type MilestoneStatus = 'past' | 'current' | 'next' | 'future';

export function timelineAt<M extends Dated>(milestones: readonly M[], now: number) {
  const sorted = [...milestones].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const nextIndex = sorted.findIndex((m) => Date.parse(m.at) > now);
  const currentIndex = nextIndex < 0 ? sorted.length - 1 : nextIndex - 1;
  const entries = sorted.map((milestone, i) => ({
    milestone,
    status: (i === currentIndex ? 'current' : i === nextIndex ? 'next' : i < currentIndex ? 'past' : 'future') as MilestoneStatus,
  }));
  return {
    entries,
    current: currentIndex >= 0 ? sorted[currentIndex]! : null,
    next: nextIndex >= 0 ? sorted[nextIndex]! : null,
  };
}
