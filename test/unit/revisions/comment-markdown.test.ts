// Comment Markdown is safe by construction (raw HTML shown as typed, no sanitizer pass). These tests
// hold it to the drafts' allow-list independently: every tag and attribute it can produce, and a
// property test that the sanitizer would remove nothing from any output.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Parser } from 'htmlparser2';
import { htmlToPlainText, renderCommentMarkdown, sanitizeRichText } from '../../../server/modules/revisions/lib/markdown.ts';
import { expectSafeHtml } from './helpers.ts';

const REL = 'rel="noopener noreferrer nofollow"';

/** Tags with their attributes, and text with entities decoded: what a browser would build. */
function htmlEvents(html: string): string[] {
  const events: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        events.push(
          `<${name} ${Object.entries(attribs)
            .sort()
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(' ')}>`,
        );
      },
      onclosetag(name) {
        events.push(`</${name}>`);
      },
      ontext(text) {
        if (events.length > 0 && events.at(-1)!.startsWith('#')) events[events.length - 1] += text;
        else events.push(`#${text}`);
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return events;
}

describe('renderCommentMarkdown', () => {
  it('renders the structures comments use', () => {
    const html = renderCommentMarkdown(
      [
        '## Heading',
        '',
        'Some *emphasis*, **strong**, ~~struck~~ and `code`.',
        '',
        '- one',
        '- two',
        '',
        '3. third',
        '4. fourth',
        '',
        '> quoted',
        '',
        '```ts',
        'const x = "<b>";',
        '```',
        '',
        '| Threat | Capability |',
        '| :--- | ---: |',
        '| Eavesdropping | Encryption |',
      ].join('\n'),
    );
    expect(html).toContain('<h2>Heading</h2>');
    expect(html).toContain('<em>emphasis</em>');
    expect(html).toContain('<strong>strong</strong>');
    expect(html).toContain('<del>struck</del>');
    expect(html).toContain('<code>code</code>');
    expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(html).toMatch(/<ol start="3">\s*<li>third<\/li>/);
    expect(html).toMatch(/<blockquote>\s*<p>quoted<\/p>/);
    expect(html).toContain('<pre><code>const x = &quot;&lt;b&gt;&quot;;\n</code></pre>');
    expect(html).toMatch(/<th align="left">Threat<\/th>[\s\S]*<td align="right">Encryption<\/td>/);
    expectSafeHtml(html);
  });

  it('shows raw HTML as the characters typed, so angle brackets in prose are not lost', () => {
    const html = renderCommentMarkdown('The <Nonce> field must exceed 2 < 3 and use <b>bold</b>.');
    expect(htmlToPlainText(html)).toBe('The <Nonce> field must exceed 2 < 3 and use <b>bold</b>.');
    expect(html).not.toContain('<b>');
  });

  it('keeps http, https and mailto links (also bare ones) with noopener noreferrer nofollow', () => {
    const html = renderCommentMarkdown('[Y.2060](https://www.itu.int/rec/T-REC-Y.2060?a=1&b=2) see www.itu.int or mailto:tsbsg17@itu.int');
    expect(html).toContain(`<a href="https://www.itu.int/rec/T-REC-Y.2060?a=1&amp;b=2" ${REL}>Y.2060</a>`);
    expect(html).toContain(`<a href="http://www.itu.int" ${REL}>www.itu.int</a>`);
    expect(html).toContain(`<a href="mailto:tsbsg17@itu.int" ${REL}>mailto:tsbsg17@itu.int</a>`);
  });

  it.each([
    ['javascript: link', '[x](javascript:alert(1))'],
    ['upper-case scheme', '[x](JAVASCRIPT:alert(1))'],
    ['entity-encoded scheme', '[x](&#106;avascript:alert(1))'],
    ['leading space', '[x]( javascript:alert(1))'],
    ['vbscript', '[x](vbscript:msgbox(1))'],
    ['file: URL', '[x](file:///etc/passwd)'],
    ['data: URL', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['relative link', '[x](/admin)'],
    ['protocol-relative link', '[x](//evil.example)'],
    ['reference link', '[x][r]\n\n[r]: javascript:alert(1)'],
  ])('reduces a %s to its words', (_name, payload) => {
    const html = renderCommentMarkdown(payload);
    expect(html).not.toMatch(/<a|href/i);
    expect(htmlToPlainText(html)).toBe('x');
  });

  it("drops images (a reader's browser would fetch them) and shows task boxes as text", () => {
    expect(renderCommentMarkdown('![chart](https://example.org/chart.png)')).toBe('');
    expect(renderCommentMarkdown('- [x] done\n- [ ] to do')).toMatch(/<li>\[x\] done<\/li>\s*<li>\[ \] to do<\/li>/);
  });

  it.each([
    ['script', '<script>alert(1)</script>'],
    ['img onerror', '<img src=x onerror=alert(1)>'],
    ['svg onload', '<svg onload=alert(1)><circle r="1"/></svg>'],
    ['iframe', '<iframe src="https://evil.example"></iframe>'],
    ['style attribute', '<p style="background:url(javascript:alert(1))">p</p>'],
    ['HTML link', '<a href="javascript:alert(1)">x</a>'],
    ['nested script split', '<scr<script>ipt>alert(1)</scr</script>ipt>'],
    ['unterminated tag', '<img src=x onerror=alert(1)//'],
    ['HTML comment', '<!-- <script>alert(1)</script> -->'],
    ['markdown inside an HTML block', '<div>\n\n**x** [y](javascript:1)\n\n</div>'],
    // After an inline <pre>/<code>/<kbd>/<script> tag marked takes the rest of the paragraph as raw
    // HTML content; shown as typed, that tag must not let the text after it through.
    ['an unterminated tag after an inline <script>', '**<script><img src=x onerror=alert(1)//'],
    ['an unterminated tag after an inline <pre>', 'a <pre> <img src=x onerror=alert(1)//'],
    ['an unterminated tag after an inline <code>', 'x <code><img src=x onerror=alert(1)//'],
    ['an unterminated tag after an inline <kbd>', '<kbd x><svg onload=alert(1)//'],
  ])('leaves nothing executable from %s', (_name, payload) => {
    const html = renderCommentMarkdown(payload);
    expect(html).not.toMatch(/<(script|svg|iframe|img|div|a )/i);
    expectSafeHtml(html);
  });

  it("never produces anything the drafts' sanitizer would remove or change (property)", () => {
    const fragment = fc.constantFrom(
      '**',
      '*',
      '_',
      '__',
      '~~',
      '`',
      '```\n',
      '\n',
      '\n\n',
      ' ',
      '    ',
      '#',
      '## ',
      '- ',
      '1. ',
      '7) ',
      '> ',
      '---\n',
      '[',
      ']',
      '(',
      ')',
      '![',
      '<',
      '>',
      '</',
      '/>',
      '"',
      "'",
      '&',
      '&amp;',
      '&#106;',
      '&lt;',
      '\\',
      '|',
      '| a | b |\n',
      '|---|:-:|\n',
      '- [x] ',
      '- [ ] ',
      'a',
      'word',
      'é',
      'الكلمة',
      'javascript:',
      'https://x.org/p?q=1&r=2',
      'http://',
      'mailto:a@b.org',
      'www.itu.int',
      'a@b.org',
      'script',
      '<script>',
      '</script>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">',
      '</a>',
      '<p>',
      '</p>',
      '<b>',
      '<div>',
      '<!--',
      '-->',
      '<svg onload=alert(1)>',
      'style="x"',
      '[r]: javascript:alert(1)\n',
      '[r]',
      '<pre>',
      '<code>',
      '<kbd>',
      '</pre>',
      '<img src=x onerror=alert(1)//',
      '<www.itu.int',
    );
    const markdown = fc.oneof(
      fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join('')),
      fc.string({ maxLength: 200 }),
    );
    fc.assert(
      fc.property(markdown, (md) => {
        const html = renderCommentMarkdown(md);
        expectSafeHtml(html);
        expect(htmlEvents(sanitizeRichText(html))).toEqual(htmlEvents(html));
      }),
      { numRuns: 3000, examples: [['**<script><www.itu.int'], ['**<script><img src=x onerror=alert(1)//']] },
    );
  });
});
