// Pure parts of the comment-period screen and of the dispositions under comments: deadlines typed
// in the group's zone (clock changes included), and which disposition a live event leaves on screen
// (the period screen's strings are checked with every catalogue: test/unit/i18n/catalogues.test.ts).
import { describe, expect, it } from 'vitest';
import type { Disposition } from '../../../client/src/api/adjudication-endpoints.ts';
import { applyDisposition } from '../../../client/src/lib/document-dispositions.ts';
import { fromZonedInput, toZonedInput } from '../../../client/src/lib/zoned-time.ts';

describe("deadlines typed in the group's zone", () => {
  it('reads a wall time in the zone as the instant it names, and writes an instant back as the zone reads it', () => {
    expect(fromZonedInput('2016-04-26T01:59', 'Europe/Zurich')).toBe('2016-04-25T23:59:00.000Z');
    expect(fromZonedInput('2020-02-29T23:59', 'UTC')).toBe('2020-02-29T23:59:00.000Z');
    expect(fromZonedInput('2026-06-01T12:00', 'Asia/Kolkata')).toBe('2026-06-01T06:30:00.000Z');
    expect(fromZonedInput('2026-06-01T12:00', 'America/St_Johns')).toBe('2026-06-01T14:30:00.000Z');
    expect(toZonedInput('2016-04-25T23:59:00Z', 'Europe/Zurich')).toBe('2016-04-26T01:59');
    expect(toZonedInput('2016-04-25T23:59:00Z', 'Asia/Tokyo')).toBe('2016-04-26T08:59');
  });

  it('places a time the clocks skip just after the gap, and a repeated one at its first occurrence', () => {
    expect(fromZonedInput('2026-03-29T02:30', 'Europe/Zurich')).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
    expect(fromZonedInput('2026-10-25T02:30', 'Europe/Zurich')).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST, not CET
  });

  it('refuses what is not a date and time', () => {
    for (const bad of ['', '2026-02-30T10:00', '2026-13-01T10:00', '2026-01-01T24:00', '2026-01-01', 'tomorrow'])
      expect(fromZonedInput(bad, 'Europe/Zurich'), bad).toBeNull();
  });
});

const disposition = (commentId: string, status: string, version: number): Disposition => ({
  id: `d-${commentId}`,
  commentId,
  documentId: 'doc',
  disposition: status === 'undecided' ? null : 'accepted',
  status,
  rationale: '',
  adoptedText: '',
  version,
  assignee: null,
  draftedBy: null,
  proposedBy: null,
  proposedAt: null,
  finalisedBy: null,
  finalisedAt: null,
  finalisedOver: null,
  respondBy: null,
  response: null,
  implementedIn: null,
});

describe('a disposition arriving live', () => {
  it('replaces an older version, keeps a newer one, and adds a newly proposed one', () => {
    const current = new Map([['c1', disposition('c1', 'proposed', 2)]]);
    expect(applyDisposition(current, disposition('c1', 'final', 3))?.get('c1')?.status).toBe('final');
    expect(applyDisposition(current, disposition('c1', 'proposed', 1)), 'an older event after a newer answer').toBeNull();
    expect(applyDisposition(current, disposition('c1', 'proposed', 2))).toBeNull();
    expect([...applyDisposition(current, disposition('c2', 'proposed', 1))!.keys()]).toEqual(['c1', 'c2']);
  });

  it("never shows what members may not see: an editor's draft arrives as undecided and adds nothing", () => {
    expect(applyDisposition(new Map(), disposition('c3', 'undecided', 1))).toBeNull();
  });
});
