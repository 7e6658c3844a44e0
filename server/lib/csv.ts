// CSV as spreadsheets read it: RFC 4180 records, a byte order mark so Excel reads UTF-8, and
// cells that would start a formula neutralised (OWASP "CSV injection").
const BYTE_ORDER_MARK = '\uFEFF';
const RECORD_SEPARATOR = '\r\n';
const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

const cell = (value: string) => {
  const safe = FORMULA_TRIGGER.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** The header row then the records, as one CSV text. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return BYTE_ORDER_MARK + [header, ...rows].map((r) => r.map(cell).join(',') + RECORD_SEPARATOR).join('');
}
