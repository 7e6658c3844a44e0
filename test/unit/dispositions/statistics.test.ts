import { describe, expect, it } from 'vitest';
import { dispositionStatistics, dispositionTableToJson } from '../../../server/modules/dispositions/export/to-json.ts';
import { sampleTable } from './fixtures.ts';

describe('dispositionStatistics', () => {
  const stats = dispositionStatistics(sampleTable().rows);

  it('counts by disposition, undecided included', () => {
    expect(stats.total).toBe(6);
    expect(stats.byDisposition).toEqual({
      accepted: 1,
      accepted_with_modification: 1,
      rejected: 1,
      noted: 1,
      deferred: 1,
      undecided: 1,
    });
    expect(stats.byStatus).toEqual({ undecided: 1, proposed: 2, final: 3 });
  });

  it('counts by type', () => {
    expect(stats.byType).toEqual({ general: 2, technical: 3, editorial: 1 });
  });

  it('counts by clause in document order, the whole document first', () => {
    expect(stats.byClause).toEqual([
      { clause: 'General', count: 1 },
      { clause: '6', count: 1 },
      { clause: '7.1', count: 1 },
      { clause: '7.2', count: 1 },
      { clause: '7.10', count: 1 },
      { clause: 'Annex A', count: 1 },
    ]);
  });

  it('counts by organisation, most comments first', () => {
    expect(stats.byOrganisation).toEqual([
      { organisation: 'SG17 / Korea (Republic of)', count: 2 },
      { organisation: 'United Arab Emirates', count: 2 },
      { organisation: 'SG20 / China', count: 1 },
      { organisation: 'Société Générale', count: 1 },
    ]);
  });

  it('counts objections, with or without text', () => {
    expect(stats.objections).toBe(2);
  });

  it('is all zeros for an empty table', () => {
    const empty = dispositionStatistics([]);
    expect(empty.total).toBe(0);
    expect(Object.values(empty.byDisposition).every((count) => count === 0)).toBe(true);
    expect(empty.byClause).toEqual([]);
    expect(empty.objections).toBe(0);
  });
});

describe('dispositionTableToJson', () => {
  it('keeps the rows as they are, dates as ISO 8601, with the statistics', () => {
    const table = sampleTable();
    const json = JSON.parse(JSON.stringify(dispositionTableToJson(table))) as Record<string, unknown>;
    expect(json).toMatchObject({
      groupAcronym: 'CG-IoTsec',
      revisionLabel: 'rev 2',
      generatedAt: '2016-05-25T14:07:31.000Z',
      rows: table.rows,
      statistics: { total: 6, objections: 2 },
    });
  });
});
