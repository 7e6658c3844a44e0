// A draft that mentions a tag keeps every word: security standards quote <script>, <iframe> and
// friends all the time. Raw HTML the drafts cannot keep is shown as typed, the Markdown after it
// keeps its structure (headings still open clauses), and the import lists what it changed.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { importMarkdown } from '../../../server/modules/revisions/lib/import-markdown.ts';
import { expectSafeHtml } from './helpers.ts';

const SWALLOWING_TAGS = ['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noscript'];

const allText = (md: string) =>
  importMarkdown(md)
    .clauses.map((c) => `${c.number} ${c.heading} ${c.text}`)
    .join(' ');

describe('a draft that mentions a tag', () => {
  it.each(SWALLOWING_TAGS)('keeps the clauses after an unclosed <%s> inside a paragraph', (tag) => {
    const { clauses, changes } = importMarkdown(
      `# 1 Scope\n\nNever trust a <${tag}> element.\n\n# 2 References\n\nWords after it.\n\n# 3 Terms\n\nMore words.\n`,
    );
    expect(clauses.map((c) => c.number)).toEqual(['1', '2', '3']);
    expect(clauses[0]!.text).toBe(`Never trust a <${tag}> element.`);
    expect(clauses[1]!.text).toBe('Words after it.');
    expect(clauses[2]!.text).toBe('More words.');
    expect(changes).toEqual([{ kind: 'markup_as_text', clause: { number: '1', heading: 'Scope' }, count: 1, examples: [`<${tag}>`] }]);
    for (const c of clauses) expectSafeHtml(c.html);
  });

  it.each(SWALLOWING_TAGS)('keeps the clauses after an unclosed <%s> on a line of its own', (tag) => {
    const { clauses } = importMarkdown(`# 1 Scope\n\n<${tag}>\n\nWords after the tag.\n\n## 1.1 Detail\n\n- a list item\n\n# 2 References\n\nThe end.\n`);
    expect(clauses.map((c) => c.number)).toEqual(['1', '1.1', '2']);
    expect(clauses[0]!.text).toBe(`<${tag}> Words after the tag.`);
    expect(clauses[1]!.html).toMatch(/<ul>\s*<li>a list item<\/li>\s*<\/ul>/);
    expect(clauses[2]!.text).toBe('The end.');
  });

  it.each(SWALLOWING_TAGS)('keeps the words inside a closed <%s> element', (tag) => {
    const { clauses, changes } = importMarkdown(
      `# 1 Scope\n\nThe <${tag}>alert(1) x y</${tag}> element.\n\n<${tag}>\nblock words\n</${tag}>\n\n# 2 Next\n\nText.\n`,
    );
    expect(clauses.map((c) => c.number)).toEqual(['1', '2']);
    expect(clauses[0]!.text).toBe(`The <${tag}>alert(1) x y</${tag}> element. <${tag}> block words </${tag}>`);
    expect(changes).toEqual([{ kind: 'markup_as_text', clause: { number: '1', heading: 'Scope' }, count: 4, examples: [`<${tag}>`] }]);
    for (const c of clauses) {
      expect(c.html).not.toMatch(new RegExp(`<${tag}`, 'i'));
      expectSafeHtml(c.html);
    }
  });

  it('keeps the inline markup the drafts allow, and shows block HTML and comments as typed', () => {
    const { clauses, changes } = importMarkdown(
      '# 1 Scope\n\nH<sub>2</sub>O and x<sup>2</sup>, <a href="https://itu.int">ITU</a>.\n\n<div class="note">\n\nA *note*.\n\n</div>\n\n<!-- editor: check -->\n',
    );
    expect(clauses[0]!.html).toContain('H<sub>2</sub>O and x<sup>2</sup>, <a href="https://itu.int" rel="noopener noreferrer nofollow">ITU</a>.');
    expect(clauses[0]!.html).toContain('<p>A <em>note</em>.</p>');
    expect(clauses[0]!.text).toBe('H2O and x2, ITU. <div class="note"> A note. </div> <!-- editor: check -->');
    expect(changes).toEqual([{ kind: 'markup_as_text', clause: { number: '1', heading: 'Scope' }, count: 3, examples: ['<div>', '<!-- -->'] }]);
  });

  it('drops images but keeps their description, and lists them with the links it removed', () => {
    const { clauses, changes } = importMarkdown(
      'Preface ![Figure 1](https://x.org/f.png)\n\n# 1 Scope\n\nSee ![the threat model](t.png) and [the annex](#annex) or [Y.2060](https://www.itu.int/rec/T-REC-Y.2060).\n',
    );
    expect(clauses[0]!.text).toBe('Preface Figure 1');
    expect(clauses[1]!.text).toBe('See the threat model and the annex or Y.2060.');
    expect(clauses.map((c) => c.html).join('')).not.toContain('<img');
    expect(changes).toEqual([
      { kind: 'image_dropped', clause: { number: '', heading: 'Front matter' }, count: 1, examples: ['Figure 1'] },
      { kind: 'image_dropped', clause: { number: '1', heading: 'Scope' }, count: 1, examples: ['the threat model'] },
      { kind: 'link_removed', clause: { number: '1', heading: 'Scope' }, count: 1, examples: ['#annex'] },
    ]);
  });

  it('lists a raw HTML link it reduces to its words', () => {
    const { clauses, changes } = importMarkdown('# 1 Scope\n\n<a href="&#106;avascript:alert(1)">one</a> <a href="https://itu.int">two</a> <a>three</a>\n');
    expect(clauses[0]!.text).toBe('one two three');
    expect(changes).toEqual([{ kind: 'link_removed', clause: { number: '1', heading: 'Scope' }, count: 2, examples: ['javascript:alert(1)'] }]);
  });

  it('reports nothing for a plain draft', () => {
    expect(importMarkdown('# 1 Scope\n\nPlain *words* and `<code>`.\n').changes).toEqual([]);
  });

  it('keeps every word of the source in the clauses (property)', () => {
    const word = fc.stringMatching(/^[A-Za-z][a-z0-9]{0,7}$/);
    const tag = fc.constantFrom(
      ...SWALLOWING_TAGS,
      'div',
      'p',
      'b',
      'sub',
      'a href="https://x.org"',
      'a href="javascript:alert(1)"',
      'img src=x',
      'svg',
      'table',
      'pre',
      'code',
      'kbd',
      'select',
      'option',
      'template',
      'math',
      'object',
      'head',
      'noembed',
      'noframes',
    );
    // A tag the drafts keep (sub, a) is markup, not words; any other is shown as typed, name and all.
    const shownAsText = (t: string) => (['sub', 'a'].includes(t.split(' ')[0]!) ? [] : [t.split(' ')[0]!]);
    // Each piece: its Markdown and the words it must leave in the clauses.
    type Piece = [markdown: string, words: string[]];
    const piece = fc.oneof<fc.Arbitrary<Piece>[]>(
      word.map((w): Piece => [w, [w]]),
      word.map((w): Piece => [`# ${w}\n`, [w]]),
      word.map((w): Piece => [`## ${w}\n\n`, [w]]),
      tag.map((t): Piece => [`<${t}>`, shownAsText(t)]),
      tag.map((t): Piece => [`</${t.split(' ')[0]}>`, shownAsText(t)]),
      tag.map((t): Piece => [`\n<${t}>\n`, shownAsText(t)]),
      word.map((w): Piece => [`<!-- ${w} -->`, [w]]),
      fc.tuple(word, word).map(([alt, file]): Piece => [`![${alt}](${file}.png)`, [alt]]),
      fc.tuple(word, word).map(([text, target]): Piece => [`[${text}](/${target})`, [text]]),
      word.map((w): Piece => [`*${w}*`, [w]]),
      word.map((w): Piece => [`\`${w}\``, [w]]),
      word.map((w): Piece => [`\n- ${w}\n`, [w]]),
      word.map((w): Piece => [`\n> ${w}\n`, [w]]),
      fc.constantFrom<Piece>([' ', []], ['\n', []], ['\n\n', []], ['<', []], ['>', []], ['&', []], ['"', []]),
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 30 }), (pieces) => {
        const source = pieces.map(([md]) => md).join(' ');
        const expected = pieces.flatMap(([, words]) => words);
        fc.pre(expected.length > 0);
        const text = allText(source);
        for (const w of expected) expect(text, `"${w}" from ${JSON.stringify(source)}`).toContain(w);
      }),
      { numRuns: 500 },
    );
  });
});
