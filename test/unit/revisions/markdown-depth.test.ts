// Markdown nested thousands deep overflowed marked's stack (a 500). The depth is measured by one
// linear scan before rendering and text deeper than MAX_MARKDOWN_DEPTH is refused with a reason.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_MARKDOWN_DEPTH, measureMarkdownDepth } from '../../../server/modules/revisions/lib/markdown-depth.ts';
import { renderCommentMarkdown, renderMarkdown } from '../../../server/modules/revisions/lib/markdown.ts';
import { importMarkdown } from '../../../server/modules/revisions/lib/import-markdown.ts';
import { expectAppError, readSeed } from './helpers.ts';

const nest = (n: number, open: (i: number) => string, close: (i: number) => string) =>
  `${Array.from({ length: n }, (_, i) => open(i)).join('')}x${Array.from({ length: n }, (_, i) => close(n - 1 - i)).join('')}`;

/** Shapes that nest n levels, as marked would recurse on them. */
const SHAPES: Record<string, (n: number) => string> = {
  'block quotes': (n) => `${'>'.repeat(n)} x`,
  'spaced block quotes': (n) => `${'> '.repeat(n)}x`,
  'bullet lists': (n) => `${'- '.repeat(n)}x`,
  'ordered lists': (n) => `${'1. '.repeat(n)}x`,
  'quotes in lists': (n) => `${'> - '.repeat(Math.ceil(n / 2))}x`,
  'indented list items': (n) => Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}- x`).join('\n'),
  'an emphasis run': (n) => `${'*'.repeat(n)}x${'*'.repeat(n)}`,
  'alternating emphasis': (n) =>
    nest(
      n,
      (i) => (i % 2 ? '_a ' : '*a '),
      (i) => (i % 2 ? ' a_' : ' a*'),
    ),
  'strong emphasis': (n) =>
    nest(
      Math.ceil(n / 2),
      () => '**a ',
      () => ' a**',
    ),
  strikethrough: (n) =>
    nest(
      n,
      () => '~a ',
      () => ' a~',
    ),
  brackets: (n) => `${'['.repeat(n)}x${']'.repeat(n)}`,
  'emphasis across lines': (n) =>
    nest(
      n,
      () => '*a\n',
      () => '\na*',
    ),
};

describe('measureMarkdownDepth', () => {
  it.each(Object.keys(SHAPES))('counts %s at least as deep as they nest', (shape) => {
    expect(measureMarkdownDepth(SHAPES[shape]!(150)).depth).toBeGreaterThanOrEqual(150);
    expect(measureMarkdownDepth(SHAPES[shape]!(20)).depth).toBeLessThanOrEqual(45);
  });

  it('finds ordinary drafts and comments shallow', () => {
    expect(measureMarkdownDepth(readSeed('seed-x-iotsec-2.md')).depth).toBeLessThan(10);
    expect(measureMarkdownDepth('- a\n  - b\n    - c\n\n> quoted *em* and **strong**').depth).toBeLessThanOrEqual(4);
    // Many emphasised words side by side are not nested; nor are snake_case names or rules.
    expect(measureMarkdownDepth('*a* **b** _c_ ~~d~~ [e](https://x.org) '.repeat(2_000)).depth).toBeLessThanOrEqual(3);
    expect(measureMarkdownDepth('a_snake_case_name and 2*3*4*5 ***\n\n* * *\n\n---').depth).toBeLessThanOrEqual(3);
  });

  it('skips fenced code, where markers are only characters', () => {
    expect(measureMarkdownDepth(`\`\`\`\n${'>'.repeat(5_000)}\n${'*'.repeat(5_000)}\n\`\`\`\n\ntext`).depth).toBeLessThanOrEqual(1);
    expect(measureMarkdownDepth(`~~~~\n\`\`\`\n${'- '.repeat(500)}\n~~~~\n${'- '.repeat(500)}x`).depth).toBeGreaterThanOrEqual(500);
  });

  it('names the line where the depth is reached', () => {
    expect(measureMarkdownDepth(`# Title\n\nText.\n\n${'>'.repeat(200)} deep`)).toEqual({ depth: 200, line: 5 });
    expect(measureMarkdownDepth('')).toEqual({ depth: 0, line: 0 });
  });

  it('scans 2 MB in linear time', () => {
    const started = performance.now();
    measureMarkdownDepth('> - *a* [b] c_d\n'.repeat(130_000));
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('rendering refuses Markdown nested too deep', () => {
  it.each(Object.keys(SHAPES))('refuses %s 5,000 deep quickly, for comments and drafts', async (shape) => {
    const md = SHAPES[shape]!(5_000).slice(0, 20_000);
    for (const render of [renderCommentMarkdown, renderMarkdown, importMarkdown]) {
      const started = performance.now();
      const error = await expectAppError(() => render(md), 'markdown_too_deep', 422);
      expect(performance.now() - started).toBeLessThan(200);
      expect(error.message).toMatch(/levels deep \(line [\d,]+\)/);
      expect(error.details).toMatchObject({ maxDepth: MAX_MARKDOWN_DEPTH });
    }
  });

  it(`renders ${MAX_MARKDOWN_DEPTH} levels and refuses ${MAX_MARKDOWN_DEPTH + 1}`, async () => {
    const at = SHAPES['block quotes']!(MAX_MARKDOWN_DEPTH);
    expect(renderCommentMarkdown(at)).toContain('<blockquote>');
    expect(renderMarkdown(at)).toContain('<blockquote>');
    const error = await expectAppError(() => renderCommentMarkdown(SHAPES['block quotes']!(MAX_MARKDOWN_DEPTH + 1)), 'markdown_too_deep', 422);
    expect(error.details).toEqual({ maxDepth: MAX_MARKDOWN_DEPTH, depth: MAX_MARKDOWN_DEPTH + 1, line: 1 });
  });

  it('never overflows: any mix of nesting either renders or is refused with the code (property)', () => {
    const level = fc.constantFrom('>', '- ', '1. ', '*a ', '_a ', '**a ', '~a ', '[a ');
    const closer: Record<string, string> = { '>': '', '- ': '', '1. ': '', '*a ': ' a*', '_a ': ' a_', '**a ': ' a**', '~a ': ' a~', '[a ': ' a]' };
    const shape = fc.tuple(fc.array(level, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 3_000 })).map(([cycle, n]) => {
      const levels = Array.from({ length: n }, (_, i) => cycle[i % cycle.length]!);
      // Block markers only lead a line: they go first, the inline ones after.
      const blocks = levels.filter((l) => closer[l] === '');
      const inline = levels.filter((l) => closer[l] !== '');
      return {
        depth: n,
        md:
          blocks.join(' ') +
          ' ' +
          inline.join('') +
          'x' +
          inline
            .reverse()
            .map((l) => closer[l])
            .join(''),
      };
    });
    fc.assert(
      fc.property(shape, ({ depth, md }) => {
        for (const render of [renderCommentMarkdown, renderMarkdown]) {
          try {
            render(md);
            expect(depth, 'rendered although deeper than the limit').toBeLessThanOrEqual(MAX_MARKDOWN_DEPTH);
          } catch (error) {
            expect((error as { code?: string }).code, String(error)).toBe('markdown_too_deep');
            expect(depth, 'refused although well within the limit').toBeGreaterThan(MAX_MARKDOWN_DEPTH / 2);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
