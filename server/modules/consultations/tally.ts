// The tally of a Member State consultation (seed 004, WTSA Res. 1 §9.4): per draft, the replies,
// those in support (assigns authority) and not, and whether the share of replies in support
// reaches the threshold ("70 % or more of the replies"). Integer arithmetic only, so a share of
// exactly the threshold meets it whatever floating point would make of 7/10. Pure.
export type Outcome = 'meets' | 'fails' | 'no_replies';

export interface TallyAnswer {
  draftId: string;
  supports: boolean;
}

export interface DraftTally {
  draftId: string;
  replies: number;
  inSupport: number;
  notInSupport: number;
  /** Replies in support as a percentage, one decimal; null without replies. */
  percentInSupport: number | null;
  /** Null until the deadline has passed: the outcome is not announced before. */
  outcome: Outcome | null;
}

export function meetsThreshold(inSupport: number, replies: number, thresholdPercent: number): boolean {
  return replies > 0 && inSupport * 100 >= thresholdPercent * replies;
}

export function tallyDraft(draftId: string, inSupport: number, replies: number, thresholdPercent: number, closed: boolean): DraftTally {
  return {
    draftId,
    replies,
    inSupport,
    notInSupport: replies - inSupport,
    percentInSupport: replies ? Math.round((inSupport * 1000) / replies) / 10 : null,
    outcome: closed ? (replies === 0 ? 'no_replies' : meetsThreshold(inSupport, replies, thresholdPercent) ? 'meets' : 'fails') : null,
  };
}

/** The tally of every draft from the answers themselves (the reference the SQL path is tested against). */
export function computeTally(draftIds: readonly string[], answers: readonly TallyAnswer[], thresholdPercent: number, closed: boolean): DraftTally[] {
  return draftIds.map((id) => {
    const mine = answers.filter((a) => a.draftId === id);
    return tallyDraft(id, mine.filter((a) => a.supports).length, mine.length, thresholdPercent, closed);
  });
}
