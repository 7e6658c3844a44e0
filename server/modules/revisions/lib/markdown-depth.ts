// How deep Markdown nests, measured before marked sees it. marked lexes and renders block quotes,
// list items, emphasis and link text by recursion, one stack frame group per level: ~2,000 levels
// of `*a _a *a …` or 3,000 of `- - - …` (a few thousand characters, well inside a comment's
// 20,000) overflow the stack, and long before that the work grows with the square of the depth
// (1,000 levels of emphasis: ~0.5 s of CPU). No draft or comment nests 100 deep; markdown-it
// stops at the same 100 (its `maxNesting` default). So text nested deeper is refused with a
// reason, before any rendering starts.
import { AppError } from '../../../lib/app-error.ts';

export const MAX_MARKDOWN_DEPTH = 100;

export interface MarkdownDepth {
  /** The deepest nesting found, estimated from above: containers on the line plus open emphasis and brackets. */
  depth: number;
  /** The line (from 1) where it was first reached; 0 for empty text. */
  line: number;
}

const WHITESPACE = /\s/u;
const PUNCTUATION = /[\p{P}\p{S}]/u;
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isBlank = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r';

/**
 * One linear pass, no recursion. A line's containers are the block-quote and list markers it
 * starts with, plus half its indentation (a nested list item needs at least two more columns
 * than its parent); the paragraph's inline nesting is the count of emphasis delimiters (`*`, `_`,
 * `~`) and `[` opened and not yet closed, by CommonMark's flanking rules. Fenced code is skipped.
 */
export function measureMarkdownDepth(md: string): MarkdownDepth {
  const deepest: MarkdownDepth = { depth: 0, line: 0 };
  const n = md.length;
  let i = 0;
  let line = 0;
  let fence: { char: string; length: number } | null = null;
  let paragraphBlock = 0;
  let inline = 0;
  const reach = (depth: number) => {
    if (depth > deepest.depth) {
      deepest.depth = depth;
      deepest.line = line;
    }
  };

  while (i < n) {
    line++;
    // The line's prefix: indentation, `>` and list markers, in any mix.
    let columns = 0;
    let markers = 0;
    let leading = true;
    for (;;) {
      const c = md[i];
      if (c === ' ' || c === '\t') {
        let run = 0;
        while (md[i] === ' ' || md[i] === '\t') {
          run += md[i] === '\t' ? 4 : 1;
          i++;
        }
        // The space that separates a marker from what follows is not indentation.
        columns += leading ? run : run - 1;
      } else if (c === '>') {
        markers++;
        i++;
        leading = false;
      } else if ((c === '-' || c === '+' || c === '*') && isBlank(md[i + 1])) {
        markers++;
        i++;
        leading = false;
      } else if (isDigit(c)) {
        let j = i;
        while (isDigit(md[j]) && j - i < 9) j++;
        if ((md[j] !== '.' && md[j] !== ')') || !isBlank(md[j + 1])) break;
        markers++;
        i = j + 1;
        leading = false;
      } else {
        break;
      }
    }

    const fenceChar = md[i] === '`' || md[i] === '~' ? md[i]! : null;
    let fenceLength = 0;
    if (fenceChar) while (md[i + fenceLength] === fenceChar) fenceLength++;
    if (fence) {
      if (fenceChar === fence.char && fenceLength >= fence.length) fence = null;
      i = skipLine(md, i);
      continue;
    }
    if (fenceChar && fenceLength >= 3) {
      fence = { char: fenceChar, length: fenceLength };
      i = skipLine(md, i);
      continue;
    }

    if (md[i] === '\n' || md[i] === '\r' || i >= n) {
      // A blank line ends the paragraph, and with it any emphasis left open.
      paragraphBlock = 0;
      inline = 0;
      reach(markers + Math.floor(columns / 2));
      i = skipLine(md, i);
      continue;
    }

    paragraphBlock = Math.max(paragraphBlock, markers + Math.floor(columns / 2));
    reach(paragraphBlock + inline);
    while (i < n && md[i] !== '\n') {
      const c = md[i]!;
      if (c === '\\') {
        i += 2;
      } else if (c === '[') {
        inline++;
        i++;
        reach(paragraphBlock + inline);
      } else if (c === ']') {
        inline = Math.max(0, inline - 1);
        i++;
      } else if (c === '*' || c === '_' || c === '~') {
        let j = i;
        while (md[j] === c) j++;
        const before = i > 0 ? md[i - 1]! : '\n';
        const after = j < n ? md[j]! : '\n';
        const beforeSpace = WHITESPACE.test(before);
        const afterSpace = WHITESPACE.test(after);
        const opens = !afterSpace && (!PUNCTUATION.test(after) || beforeSpace || PUNCTUATION.test(before));
        const closes = !beforeSpace && (!PUNCTUATION.test(before) || afterSpace || PUNCTUATION.test(after));
        if (closes && (!opens || inline > 0)) inline = Math.max(0, inline - (j - i));
        else if (opens) inline += j - i;
        reach(paragraphBlock + inline);
        i = j;
      } else {
        i++;
      }
    }
    i = skipLine(md, i);
  }
  return deepest;
}

function skipLine(md: string, i: number): number {
  const end = md.indexOf('\n', i);
  return end < 0 ? md.length : end + 1;
}

/** Refuses (422 markdown_too_deep) Markdown nested deeper than MAX_MARKDOWN_DEPTH, naming the line. */
export function checkMarkdownDepth(md: string): void {
  const { depth, line } = measureMarkdownDepth(md);
  if (depth > MAX_MARKDOWN_DEPTH) {
    throw AppError.unprocessable(
      'markdown_too_deep',
      `The text nests quotes, lists, emphasis or brackets ${depth.toLocaleString('en-GB')} levels deep (line ${line.toLocaleString('en-GB')}); ` +
        `at most ${MAX_MARKDOWN_DEPTH} levels can be displayed, so flatten the nesting and send it again.`,
      { maxDepth: MAX_MARKDOWN_DEPTH, depth, line },
    );
  }
}

/**
 * Runs a render; should the estimate above ever miss a shape that still recurses too deep, the
 * stack overflow becomes the same refusal instead of a 500.
 */
export function withStackGuard<T>(render: () => T): T {
  try {
    return render();
  } catch (error) {
    if (error instanceof RangeError && /call stack/iu.test(error.message)) {
      throw AppError.unprocessable(
        'markdown_too_deep',
        `The text nests quotes, lists, emphasis or brackets too deeply to be displayed (at most ${MAX_MARKDOWN_DEPTH} levels); flatten the nesting and send it again.`,
        { maxDepth: MAX_MARKDOWN_DEPTH },
      );
    }
    throw error;
  }
}
