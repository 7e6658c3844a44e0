// Clause numbers: read from the heading text when the author wrote one ("7.1\tSecurity…",
// "Annex A – …", "A.2 …"), otherwise computed from the heading levels like Word's outline
// numbering (1, 1.1, 1.1.1 …), continuing from the last number the author wrote.

export interface ParsedHeading {
  /** The number written in the heading, or null when there is none. */
  number: string | null;
  /** The heading without its number. */
  title: string;
}

// At most three digits per part, so a heading such as "2030 targets" is not read as clause 2030.
const DOTTED = /^(\d{1,3}(?:\.\d{1,3})*)\.?(?:\s+|$)/u;
// Annex subclauses ("A.1", "B.2.3") and appendix subclauses ("I.1", "IV.2").
const LETTERED = /^([A-Z]|[IVX]{1,4})((?:\.\d{1,3})+)\.?(?:\s+|$)/u;
// "Annex A", "Annex B:", "Appendix II –" with the usual separators after it.
const ANNEX = /^(Annex|Appendix)\s+([A-Z]|[IVX]{1,4}|\d{1,3})\b\s*[:.\u2013\u2014-]?\s*/u;

export function parseHeading(headingText: string): ParsedHeading {
  const text = headingText.trim();
  const annex = ANNEX.exec(text);
  if (annex) return { number: `${annex[1]} ${annex[2]}`, title: text.slice(annex[0].length).trim() };
  const match = DOTTED.exec(text) ?? LETTERED.exec(text);
  if (!match) return { number: null, title: text };
  const number = match[2] === undefined ? match[1]! : `${match[1]}${match[2]}`;
  return { number, title: text.slice(match[0].length).trim() };
}

/**
 * Hands out the number of each heading in document order. Numbers the author wrote win and
 * re-synchronise the counters, so an unnumbered heading after "7.2" at the next depth becomes
 * "7.2.1" and one at the same depth becomes "7.3".
 */
export class ClauseNumberer {
  // One entry per depth; e.g. ["7", "2"] after clause 7.2, ["A", "1"] after Annex A.1.
  private counters: string[] = [];
  // "Annex"/"Appendix" when the top-level counter is an annex letter, so the next one is "Annex B".
  private topLabel: string | null = null;

  next(parsed: ParsedHeading, depth: number): string {
    if (parsed.number !== null) {
      this.sync(parsed.number);
      return parsed.number;
    }
    return this.compute(depth);
  }

  private sync(number: string): void {
    const annex = /^(Annex|Appendix) (.+)$/u.exec(number);
    if (annex) {
      this.topLabel = annex[1]!;
      this.counters = [annex[2]!];
      return;
    }
    const parts = number.split('.');
    if (/^\d+$/u.test(parts[0]!)) this.topLabel = null;
    this.counters = parts;
  }

  private compute(depth: number): string {
    const counters = this.counters.slice(0, depth);
    // A skipped level (a depth-3 heading straight under a depth-1 one) counts as its first clause.
    while (counters.length < depth - 1) counters.push('1');
    const current = counters[depth - 1];
    const roman = depth === 1 && this.topLabel === 'Appendix';
    counters[depth - 1] = current === undefined ? '1' : increment(current, roman);
    if (depth === 1 && current === undefined) this.topLabel = null;
    this.counters = counters;
    return depth === 1 && this.topLabel !== null ? `${this.topLabel} ${counters[0]}` : counters.join('.');
  }
}

// Appendices count I, II, III; annexes A, B, C; clauses 1, 2, 3.
function increment(part: string, roman: boolean): string {
  if (/^\d+$/u.test(part)) return String(Number(part) + 1);
  if (roman) return toRoman(fromRoman(part) + 1);
  return String.fromCharCode(part.charCodeAt(0) + 1);
}

const ROMAN: ReadonlyArray<readonly [string, number]> = [
  ['X', 10],
  ['IX', 9],
  ['V', 5],
  ['IV', 4],
  ['I', 1],
];

function fromRoman(roman: string): number {
  let value = 0;
  let rest = roman;
  for (const [symbol, amount] of ROMAN) {
    while (rest.startsWith(symbol)) {
      value += amount;
      rest = rest.slice(symbol.length);
    }
  }
  return value;
}

function toRoman(value: number): string {
  let out = '';
  let rest = value;
  for (const [symbol, amount] of ROMAN) {
    while (rest >= amount) {
      out += symbol;
      rest -= amount;
    }
  }
  return out;
}
