import { describe, expect, it } from 'vitest';
import { failedLines } from '../../../client/src/lib/invite-lines.ts';
import { timelineAt } from '../../../client/src/lib/timeframe.ts';
import { CG_IOTSEC } from '../../../server/seed/seed-data.ts';

const milestones = CG_IOTSEC.milestones.map((m, i) => ({ id: String(i), at: m.at, kind: m.kind.toLowerCase() }));

describe('client timeframe', () => {
  it('is not started before the first milestone, and counts to it', () => {
    const t = timelineAt(milestones, Date.parse('2016-03-01T00:00:00Z'));
    expect(t.current).toBeNull();
    expect(t.next?.kind).toBe('draft_posted');
    expect(t.entries.map((e) => e.status)).toEqual(['next', 'future', 'future', 'future', 'future']);
  });

  it('is in the comment period until 2359 UTC on 25 April 2016, then in adjudication', () => {
    const before = timelineAt(milestones, Date.parse('2016-04-25T23:58:59Z'));
    expect(before.current?.kind).toBe('draft_posted');
    expect(before.next?.kind).toBe('comments_close');
    const after = timelineAt(milestones, Date.parse('2016-04-25T23:59:00Z'));
    expect(after.current?.kind).toBe('comments_close');
    expect(after.entries.map((e) => e.status)).toEqual(['past', 'current', 'next', 'future', 'future']);
  });

  it('has no next deadline once the final report is published', () => {
    const t = timelineAt(milestones, Date.parse('2017-01-01T00:00:00Z'));
    expect(t.current?.kind).toBe('final_report_published');
    expect(t.next).toBeNull();
  });

  it('sorts milestones given out of order', () => {
    const t = timelineAt([...milestones].reverse(), Date.parse('2016-05-12T00:00:00Z'));
    expect(t.entries.map((e) => e.milestone.kind)).toEqual(milestones.map((m) => m.kind));
    expect(t.current?.kind).toBe('conveners_draft_posted');
  });
});

describe('invitation lines kept for correction', () => {
  it('keeps only the lines the server could not invite, whatever their spacing', () => {
    const list = 'ada@example.org\nnot-an-address\n  Bo ,SG20,  bo@@example \n\nCy <cy@example.org>';
    const kept = failedLines(list, { errors: [{ input: 'not-an-address' }, { input: 'Bo, SG20, bo@@example' }] });
    expect(kept).toBe('not-an-address\n  Bo ,SG20,  bo@@example ');
    expect(failedLines(list, { errors: [] })).toBe('');
  });
});
