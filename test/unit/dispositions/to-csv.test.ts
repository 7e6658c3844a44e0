import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { dispositionTableToCsv } from '../../../server/modules/dispositions/export/to-csv.ts';
import type { DispositionTableRow } from '../../../server/modules/dispositions/export/disposition-table.ts';
import { SAMPLE_DISPOSITION_CELLS, SAMPLE_RESPONSE_CELLS, sampleTable, syntheticTable } from './fixtures.ts';

const EXPECTED_HEADER = [
  'No.',
  'Organisation / commenter',
  'Clause',
  'Paragraph / Figure / Table',
  'Type (ge/te/ed)',
  'Comment',
  'Proposed change',
  'Observations / disposition and rationale',
  'Commenter response',
  'disposition_code',
  'status',
  'response_kind',
  'organisation',
  'implemented_in',
  'origin',
];
const TYPE_CODES = { general: 'ge', technical: 'te', editorial: 'ed' } as const;

function parseCsv(csv: string): string[][] {
  return parse(csv, { bom: true }) as string[][];
}

/** What each record must read back as, before formula neutralisation. */
function expectedRecord(row: DispositionTableRow, dispositionCell: string, responseCell: string): string[] {
  return [
    String(row.number),
    row.commenter,
    row.clause,
    row.paragraph,
    TYPE_CODES[row.type],
    row.comment,
    row.proposedChange,
    dispositionCell,
    responseCell,
    row.disposition ?? '',
    row.status,
    row.response?.kind ?? '',
    row.organisation,
    row.implementedIn,
    [row.origin?.kind ?? 'member', row.origin?.stakeholderGroup, row.origin?.region].filter(Boolean).join(' / '),
  ];
}

describe('dispositionTableToCsv', () => {
  const table = sampleTable();
  const csv = dispositionTableToCsv(table);
  const [header, ...records] = parseCsv(csv);

  it('starts with a UTF-8 byte order mark, for Excel', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('ends every record with CRLF', () => {
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')[0]).toBe(`\uFEFF${EXPECTED_HEADER.join(',')}`);
  });

  it('has the comment-template columns, then the machine-friendly ones', () => {
    expect(header).toEqual(EXPECTED_HEADER);
  });

  it('reads back as the input rows, names in every script intact', () => {
    expect(records).toHaveLength(table.rows.length);
    const expected = table.rows.map((row, index) => expectedRecord(row, SAMPLE_DISPOSITION_CELLS[index] ?? '', SAMPLE_RESPONSE_CELLS[index] ?? ''));
    // The cells a spreadsheet would take for formulas come back with the apostrophe that neutralises them.
    const neutralised: Array<[row: number, column: number, text: string]> = [
      [2, 5, `'=HYPERLINK("http://example.invalid","click")`],
      [2, 6, `'+33 1 42 14 20 00 is not a requirement`],
      [3, 5, `'-2 is a bad default;\n\nsee clause 8.\n`],
      [3, 6, `'@SUM(1,2)`],
      [4, 5, `'\tTab-led cell`],
      [4, 6, `'\rCarriage-return-led cell`],
    ];
    for (const [row, column, text] of neutralised) (expected[row] as string[])[column] = text;
    expect(records).toEqual(expected);
    expect(records.map((record) => record[1])).toEqual([
      'Heung Youl Youm — SG17 / Korea (Republic of)',
      'Nasser Al Marzouqi — United Arab Emirates',
      'Marie Dupont — Société Générale',
      '王晓明 — SG20 / China',
      'Heung Youl Youm — SG17 / Korea (Republic of)',
      'Nasser Al Marzouqi — United Arab Emirates',
    ]);
  });

  it('quotes cells with quotes, commas and line breaks (RFC 4180)', () => {
    expect(csv).toContain('"Add a clause on ""secure update"", covering signatures, rollback and recovery."');
    expect(csv).toContain('"The threat model omits firmware update.\r\nDevices in the field are rarely patched."');
    expect(csv).toContain(',Clause,'); // plain cells stay unquoted
  });

  it('neutralises formulas only at the start of a cell', () => {
    expect(csv).toContain(`"'=HYPERLINK(""http://example.invalid"",""click"")"`);
    expect(records[1]?.[6]).toBe('Replace "constrained" with "resource-constrained".');
  });

  it('exports 2,000 rows that read back whole', () => {
    const big = syntheticTable(2000);
    const [, ...bigRecords] = parseCsv(dispositionTableToCsv(big));
    expect(bigRecords).toHaveLength(2000);
    big.rows.forEach((row, index) => {
      const record = bigRecords[index];
      expect(record?.slice(0, 7)).toEqual(expectedRecord(row, '', '').slice(0, 7));
      expect(record?.slice(9)).toEqual(expectedRecord(row, '', '').slice(9));
    });
  });
});
