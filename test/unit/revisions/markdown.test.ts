import { describe, expect, it } from 'vitest';
import { htmlToPlainText, renderMarkdown, sanitizeRichText } from '../../../server/modules/revisions/lib/markdown.ts';
import { expectSafeHtml } from './helpers.ts';

const REL = 'rel="noopener noreferrer nofollow"';

describe('renderMarkdown', () => {
  it('renders the structures drafts and comments use', () => {
    const html = renderMarkdown(
      [
        '## Heading',
        '',
        'Some *emphasis*, **strong** and `code`.',
        '',
        '- one',
        '- two',
        '',
        '1. first',
        '2. second',
        '',
        '> quoted',
        '',
        '```',
        'const x = 1;',
        '```',
        '',
        '| Threat | Capability |',
        '| --- | --- |',
        '| Eavesdropping | Encryption |',
      ].join('\n'),
    );
    expect(html).toContain('<h2>Heading</h2>');
    expect(html).toContain('<em>emphasis</em>');
    expect(html).toContain('<strong>strong</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(html).toMatch(/<ol>\s*<li>first<\/li>/);
    expect(html).toMatch(/<blockquote>\s*<p>quoted<\/p>/);
    expect(html).toContain('<pre><code>const x = 1;');
    expect(html).toMatch(/<table>[\s\S]*<th>Threat<\/th>[\s\S]*<td>Eavesdropping<\/td>/);
    expectSafeHtml(html);
  });

  it('keeps http, https and mailto links and marks them noopener noreferrer nofollow', () => {
    const html = renderMarkdown('[Y.2060](https://www.itu.int/rec/T-REC-Y.2060) [old](http://example.org) [mail](mailto:tsbsg17@itu.int)');
    expect(html).toContain(`<a href="https://www.itu.int/rec/T-REC-Y.2060" ${REL}>Y.2060</a>`);
    expect(html).toContain(`<a href="http://example.org" ${REL}>old</a>`);
    expect(html).toContain(`<a href="mailto:tsbsg17@itu.int" ${REL}>mail</a>`);
  });

  it('replaces a caller-supplied rel and drops target', () => {
    const html = renderMarkdown('<a href="https://example.org" rel="opener" target="_blank">x</a>');
    expect(html).toContain(`<a href="https://example.org" ${REL}>x</a>`);
  });

  it('drops relative, fragment and protocol-relative links but keeps their text', () => {
    const html = renderMarkdown('[rel](/admin) [frag](#top) <a href="//evil.example">pr</a>');
    expect(html).not.toContain('<a');
    expect(html).toContain('rel frag pr');
  });

  it('shows a script element as typed, keeping its words and running nothing', () => {
    const html = renderMarkdown('before<script>alert(1)</script>after');
    expect(html).not.toMatch(/<script/i);
    expect(htmlToPlainText(html)).toBe('before<script>alert(1)</script>after');
    expectSafeHtml(html);
  });

  it("drops images, keeping a Markdown image's description and an HTML image as typed", () => {
    expect(renderMarkdown('<img src=x onerror=alert(1)>')).not.toMatch(/<img/i);
    const html = renderMarkdown('![chart](https://example.org/chart.png)');
    expect(html).not.toContain('<img');
    expect(htmlToPlainText(html)).toBe('chart');
  });

  it.each([
    ['markdown javascript: link', '[x](javascript:alert(1))'],
    ['upper-case scheme', '[x](JAVASCRIPT:alert(1))'],
    ['decimal entity', '<a href="&#106;avascript:alert(1)">x</a>'],
    ['hex entities', '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>'],
    ['named entity colon', '<a href="javascript&colon;alert(1)">x</a>'],
    ['embedded tab', '<a href="java\tscript:alert(1)">x</a>'],
    ['entity-encoded tab', '<a href="jav&#x09;ascript:alert(1)">x</a>'],
    ['leading space', '<a href=" javascript:alert(1)">x</a>'],
    ['vbscript', '<a href="vbscript:msgbox(1)">x</a>'],
    ['file: URL', '[x](file:///etc/passwd)'],
    ['data: URL in markdown', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['data: URL in HTML', '<a href="data:text/html,<script>alert(1)</script>">x</a>'],
  ])('neutralises a %s', (_name, payload) => {
    const html = renderMarkdown(payload);
    expect(html).not.toMatch(/<a|href|javascript|vbscript|data:|file:/i);
    expect(html).toContain('x');
    expectSafeHtml(html);
  });

  /** The tag names of an HTML fragment, checked as a stack: every close tag closes the innermost open one. */
  function expectWellFormed(html: string) {
    const VOID = new Set(['br', 'hr']);
    const stack: string[] = [];
    for (const [, close, name] of html.matchAll(/<(\/?)([a-z0-9]+)[^>]*>/gi)) {
      const tag = name!.toLowerCase();
      if (VOID.has(tag)) continue;
      if (!close) stack.push(tag);
      else expect(`</${tag}> closing <${stack.pop() ?? 'nothing'}>`).toBe(`</${tag}> closing <${tag}>`);
    }
    expect(stack).toEqual([]);
  }

  it.each([
    ['two javascript: links around bold text', 'x [a](javascript:alert(1)) **ok** [b](javascript:alert(2)) y', '<p>x a <strong>ok</strong> b y</p>'],
    ['one javascript: link before bold text', 'x [a](javascript:1) **ok** y', '<p>x a <strong>ok</strong> y</p>'],
    [
      'an unsafe HTML link wrapping emphasis',
      '<a href="javascript:1">a <em>b</em></a> <strong>c</strong> <a>d</a> e',
      '<p>a <em>b</em> <strong>c</strong> d e</p>',
    ],
    [
      'an unsafe link next to a safe one',
      'x [a](javascript:1) **ok** [b](https://x.org) y',
      `<p>x a <strong>ok</strong> <a href="https://x.org" ${REL}>b</a> y</p>`,
    ],
  ])('keeps the nesting well-formed when it unwraps %s', (_name, payload, expected) => {
    const html = renderMarkdown(payload).trim();
    expectWellFormed(html);
    expect(html).toBe(expected);
    expect(html).not.toContain('span');
  });

  it.each([
    ['svg onload', '<svg onload=alert(1)><circle r="1"/></svg>'],
    ['svg with script and link', '<svg><script>alert(1)</script><a xlink:href="javascript:alert(2)"><text>t</text></a></svg>'],
    ['math link', '<math><mi xlink:href="javascript:alert(1)">m</mi></math>'],
    ['iframe', '<iframe src="https://evil.example" srcdoc="<script>alert(1)</script>"></iframe>'],
    ['style element', '<style>body{background:url(javascript:alert(1))}</style>'],
    ['style attribute', '<p style="background:url(javascript:alert(1))">p</p>'],
    ['event handler on allowed tag', '<p onmouseover="alert(1)">p</p>'],
    ['details ontoggle', '<details open ontoggle=alert(1)>d</details>'],
    ['form action', '<form action="javascript:alert(1)"><button>b</button></form>'],
    ['object data', '<object data="javascript:alert(1)"></object>'],
    ['base and meta', '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
    ['input autofocus', '<input autofocus onfocus=alert(1)>'],
    ['nested script split', '<scr<script>ipt>alert(1)</scr</script>ipt>'],
    ['unterminated tag', '<img src=x onerror=alert(1)//'],
    ['textarea breakout', '<textarea></textarea><img src=x onerror=alert(1)>'],
  ])('leaves nothing executable from %s', (_name, payload) => {
    const html = renderMarkdown(payload);
    // Text such as "onerror=" may survive as escaped, inert words; tags and attributes may not.
    expect(html).not.toMatch(/<(script|svg|math|iframe|style|img|form|object|base|meta|input|button)\b/i);
    expectSafeHtml(html);
  });

  it('keeps escaped markup as visible text', () => {
    const html = renderMarkdown('Write `<script>` or &lt;b&gt; literally.');
    expect(html).toContain('<code>&lt;script&gt;</code>');
    expect(html).toContain('&lt;b&gt;');
    expect(htmlToPlainText(html)).toBe('Write <script> or <b> literally.');
  });
});

describe('sanitizeRichText', () => {
  it('applies the same allow-list to converted HTML', () => {
    const html = sanitizeRichText(
      '<h3 class="x" id="y">H</h3><p><b>b</b><strong>s</strong><u>u</u></p>' +
        '<table border="1"><tr><td colspan="2" onclick="x">c</td></tr></table>' +
        '<p><a href="https://itu.int" target="_blank">ok</a><a href="javascript:alert(1)">bad</a></p>' +
        '<p><img src="data:image/png;base64,AAAA"></p>',
    );
    expect(html).toBe(`<h3>H</h3><p>b<strong>s</strong>u</p><table><tr><td colspan="2">c</td></tr></table><p><a href="https://itu.int" ${REL}>ok</a>bad</p>`);
  });

  it('drops paragraphs left empty', () => {
    expect(sanitizeRichText('<p><img src="x"></p><p> </p><p>kept</p>')).toBe('<p>kept</p>');
  });

  it('is idempotent on its own output', () => {
    const once = renderMarkdown('[a](https://a.example) **b** | x |\n|---|\n| y |');
    expect(sanitizeRichText(once)).toBe(once);
  });
});

describe('htmlToPlainText', () => {
  it('decodes entities, separates blocks and collapses whitespace', () => {
    expect(htmlToPlainText('<p>Terms &amp;\n  definitions</p><ul><li>one</li><li>two</li></ul><p>a&nbsp;b</p>')).toBe('Terms & definitions one two a b');
  });

  it('does not glue table cells or list items together', () => {
    expect(htmlToPlainText('<table><tr><td>IoT</td><td>Internet of Things</td></tr></table>')).toBe('IoT Internet of Things');
  });

  it('keeps inline elements inside words', () => {
    expect(htmlToPlainText('<p>re<em>number</em>ed</p>')).toBe('renumbered');
  });

  it('ignores script and style content', () => {
    expect(htmlToPlainText('<p>a</p><script>var x;</script><style>p{}</style><p>b</p>')).toBe('a b');
  });
});
