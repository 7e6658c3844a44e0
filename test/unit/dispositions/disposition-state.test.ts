import { describe, expect, it } from 'vitest';
import { AppError } from '../../../server/lib/app-error.ts';
import {
  checkRationale,
  nextStatus,
  progressOf,
  type StateView,
  type Status,
  type Transition,
} from '../../../server/modules/dispositions/disposition-state.ts';
import { pileWhere } from '../../../server/modules/dispositions/pile-filter.ts';
import { commenterLabel, exportFileName, toTableRow, type CommentForTable } from '../../../server/modules/dispositions/table-rows.ts';
import { adjudicationAbilities } from '../../../server/modules/dispositions/dispositions.policy.ts';

const state = (status: Status, extra: Partial<StateView> = {}): StateView => ({
  status,
  code: 'accepted',
  responded: false,
  deadlinePassed: false,
  hasDeadline: false,
  ...extra,
});
function outcome(s: StateView, t: Transition): string {
  try {
    return nextStatus(s, t);
  } catch (err) {
    return (err as AppError).code;
  }
}

describe('the disposition state machine', () => {
  it('moves undecided → draft → proposed → final, and a convener may propose directly', () => {
    expect(outcome(state('undecided'), 'draft')).toBe('draft');
    expect(outcome(state('draft'), 'confirm')).toBe('proposed');
    expect(outcome(state('undecided'), 'propose')).toBe('proposed');
    expect(outcome(state('draft'), 'propose')).toBe('proposed');
    expect(outcome(state('proposed'), 'propose')).toBe('proposed');
    expect(outcome(state('proposed'), 'finalise')).toBe('final');
  });

  it('never changes a final disposition except to name its implementing revision', () => {
    for (const t of ['draft', 'propose', 'finalise', 'assign', 'set_deadline', 'respond'] as const) {
      expect(outcome(state('final'), t)).toBe('disposition_final');
    }
    expect(outcome(state('final'), 'implement')).toBe('final');
  });

  it("keeps the commenter's time: no finalising before the deadline unless they answered", () => {
    expect(outcome(state('proposed', { hasDeadline: true }), 'finalise')).toBe('response_window_open');
    expect(outcome(state('proposed', { hasDeadline: true, responded: true }), 'finalise')).toBe('final');
    expect(outcome(state('proposed', { hasDeadline: true, deadlinePassed: true }), 'finalise')).toBe('final');
    expect(outcome(state('proposed', { hasDeadline: true, deadlinePassed: true }), 'respond')).toBe('response_deadline_passed');
    expect(outcome(state('draft'), 'respond')).toBe('disposition_not_proposed');
    expect(outcome(state('undecided'), 'finalise')).toBe('disposition_not_proposed');
  });

  it("refuses an editor's draft once a convener has proposed, and implementation of anything but an acceptance", () => {
    expect(outcome(state('proposed'), 'draft')).toBe('disposition_already_proposed');
    expect(outcome(state('proposed', { code: 'rejected' }), 'implement')).toBe('nothing_to_implement');
    expect(outcome(state('undecided', { code: null }), 'implement')).toBe('nothing_to_implement');
    expect(outcome(state('proposed', { code: 'accepted_with_modification' }), 'implement')).toBe('proposed');
  });

  it('requires a rationale for every code but accepted', () => {
    expect(() => checkRationale('accepted', '')).not.toThrow();
    for (const code of ['accepted_with_modification', 'rejected', 'noted', 'deferred'] as const) {
      expect(() => checkRationale(code, ' \n ')).toThrow(AppError);
    }
  });

  it('counts "decided" from the proposal on', () => {
    expect(progressOf(['undecided', 'draft', 'proposed', 'final', 'final'])).toEqual({ total: 5, decided: 3, final: 2, text: '3 of 5 decided, 2 final' });
    expect(progressOf([]).text).toBe('0 of 0 decided, 0 final');
  });
});

describe('the adjudication policy', () => {
  const access = (role: 'CONVENER' | 'EDITOR' | 'PARTICIPANT' | 'OBSERVER' | null, isOperator = false) => ({ role, user: { isOperator } });
  it('lets conveners decide, editors draft and implement, members read the table, and the operator only read', () => {
    expect(adjudicationAbilities(access('CONVENER'))).toMatchObject({
      'dispositions.propose': true,
      'dispositions.draft': false,
      'dispositions.publish': true,
    });
    expect(adjudicationAbilities(access('EDITOR'))).toMatchObject({
      'dispositions.propose': false,
      'dispositions.draft': true,
      'dispositions.implement': true,
      'dispositions.readPile': true,
    });
    expect(adjudicationAbilities(access('PARTICIPANT'))).toMatchObject({
      'dispositions.readTable': true,
      'dispositions.readPile': false,
      'dispositions.draft': false,
    });
    const operator = adjudicationAbilities(access(null, true));
    expect(
      Object.entries(operator)
        .filter(([, v]) => v)
        .map(([k]) => k)
        .sort(),
    ).toEqual(['dispositions.readPile', 'dispositions.readTable']);
  });
});

describe('table rows from stored comments', () => {
  const base: CommentForTable = {
    author: { name: 'Koji Nakao', affiliation: 'SG17 / Japan' },
    clause: { number: '7.1' },
    type: 'TECHNICAL',
    bodyHtml: '<p>Needs <strong>tamper</strong> resistance &amp; more.</p><ul><li>one</li></ul>',
    proposedChange: 'Add it.',
    disposition: { code: 'REJECTED', status: 'FINAL', rationale: 'No.', adoptedText: '', responseKind: 'OBJECT', responseText: 'Why?', implementedIn: null },
  };
  it('maps names, clause, type, plain-text comment, decision and response', () => {
    expect(toTableRow(base, 3)).toEqual({
      number: 3,
      commenter: 'Koji Nakao — SG17 / Japan',
      organisation: 'SG17 / Japan',
      clause: '7.1',
      paragraph: '',
      type: 'technical',
      comment: 'Needs tamper resistance & more. one',
      proposedChange: 'Add it.',
      disposition: 'rejected',
      status: 'final',
      rationale: 'No.',
      adoptedText: '',
      response: { kind: 'object', text: 'Why?' },
      implementedIn: '',
      origin: { kind: 'member', stakeholderGroup: null, region: null },
    });
  });
  it("shows an editor's draft as undecided, a whole-document comment as General, and the implementing revision", () => {
    expect(toTableRow({ ...base, clause: null, disposition: { ...base.disposition!, status: 'DRAFT' } }, 1)).toMatchObject({
      clause: 'General',
      disposition: null,
      status: 'undecided',
      rationale: '',
      response: null,
    });
    expect(
      toTableRow(
        { ...base, disposition: { ...base.disposition!, code: 'ACCEPTED', status: 'PROPOSED', implementedIn: { sequence: 2, label: "Conveners' draft" } } },
        1,
      ),
    ).toMatchObject({ disposition: 'accepted', status: 'proposed', implementedIn: "Revision 2 (Conveners' draft)" });
    expect(commenterLabel({ name: 'A', affiliation: ' ' })).toBe('A');
  });
  it('derives a safe ASCII file name', () => {
    expect(exportFileName('CG-IoTsec', 'Report on "security" & privacy: Ünïcode/IoT', 'docx')).toBe(
      'cg-iotsec-report-on-security-privacy-unicodeiot-disposition-of-comments.docx',
    );
    expect(exportFileName('', '???', 'csv')).toBe('document-disposition-of-comments.csv');
  });
});

describe('pile filters', () => {
  it('combines filters with AND and maps "general", "me" and "none"', () => {
    const where = pileWhere('doc', { state: 'objected', clause: 'General', type: 'editorial', assignee: 'me', revision: 2 }, 'user-1');
    expect(where.AND).toEqual([
      { documentId: 'doc', parentId: null, status: 'OPEN' },
      { disposition: { responseKind: 'OBJECT', status: { in: ['PROPOSED', 'FINAL'] } } },
      { clauseId: null },
      { type: 'EDITORIAL' },
      { disposition: { assigneeId: 'user-1' } },
      { revision: { sequence: 2 } },
    ]);
    expect(pileWhere('doc', { assignee: 'none' }, 'u').AND).toContainEqual({ OR: [{ disposition: null }, { disposition: { assigneeId: null } }] });
  });
});
