// Rich text for drafts and comments: Markdown → HTML, one strict allow-list for every HTML we
// store (Markdown output, converted .docx), and the plain text used for quotes and diffs.
// Everything we store is rendered to other participants' browsers, so the allow-list is the
// XSS boundary: keep it small and positive (name what may pass, never what may not).
import { Marked, type MarkedExtension, type RendererObject, type Token, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { Parser } from 'htmlparser2';
import { checkMarkdownDepth, withStackGuard } from './markdown-depth.ts';

const LINK_REL = 'noopener noreferrer nofollow';

// Only absolute links with these schemes survive. Relative and fragment links are dropped too:
// a stored clause is shown out of its original document, where they would point nowhere.
const SAFE_HREF = /^(?:https?:\/\/|mailto:)/i;

// Tags whose content is code or markup rather than readable text: dropped whole, not unwrapped.
const DROPPED_WITH_CONTENT = [
  'script',
  'style',
  'textarea',
  'option',
  'noscript',
  'iframe',
  'object',
  'embed',
  'template',
  'svg',
  'math',
  'title',
  'xmp',
  'noembed',
  'noframes',
  'select',
  'head',
];

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'ul',
    'ol',
    'li',
    'blockquote',
    'pre',
    'code',
    'em',
    'strong',
    'del',
    'sub',
    'sup',
    'a',
    'table',
    'caption',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: {
    a: ['href', 'rel'],
    ol: ['start'],
    th: ['colspan', 'rowspan', 'align'],
    td: ['colspan', 'rowspan', 'align'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: DROPPED_WITH_CONTENT,
  transformTags: { a: sanitizeLink },
  // A paragraph left empty (it held only an image, or only disallowed markup) is noise.
  exclusiveFilter: (frame) => frame.tag === 'p' && frame.text.trim() === '',
};

// Second pass, only when the first left a link without its href (`<a>`): unwrap it, keeping its
// words. sanitize-html's 'excludeTag' does not hand the words up to the parent frame, so doing
// this in the first pass would make the empty-paragraph filter drop `<p><a>words</a></p>` whole.
const UNWRAP_BARE_LINKS: sanitizeHtml.IOptions = {
  ...SANITIZE_OPTIONS,
  transformTags: {},
  exclusiveFilter: (frame) => (frame.tag === 'a' && !frame.attribs.href ? 'excludeTag' : false),
};

// A link with an unsafe or missing href keeps its tag name but loses its attributes, and the
// second pass unwraps it: the reader keeps the words, loses the link. (Renaming it to a
// disallowed tag instead, e.g. <span>, made sanitize-html close the wrong element — its closing
// tag no longer matched the frame — and `<strong>ok</span>` came out.) The href here is already
// entity-decoded by the parser, so `&#106;avascript:` cannot slip past the test.
function sanitizeLink(_tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const href = attribs.href?.trim() ?? '';
  if (!SAFE_HREF.test(href)) return { tagName: 'a', attribs: {} };
  return { tagName: 'a', attribs: { href, rel: LINK_REL } };
}

/** Cleans HTML from any source (e.g. a converted .docx) down to the shared allow-list. */
export function sanitizeRichText(html: string): string {
  const clean = sanitizeHtml(html, SANITIZE_OPTIONS);
  return clean.includes('<a>') ? sanitizeHtml(clean, UNWRAP_BARE_LINKS) : clean;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Raw HTML the renderer shows as the characters typed instead of passing it on as markup. */
interface RawHtmlToken {
  type: 'rawHtml';
  raw: string;
}

const TAG_NAME = /^<\/?([a-z][a-z0-9-]*)/iu;

/**
 * Raw HTML shown as typed, decided in the lexer: marked never makes an `html` token (block or
 * inline) except for the tags named in `keep`, so everything else is ordinary text to the
 * renderer and the Markdown after it keeps its structure. Deciding later, in the renderer, is
 * too late: an HTML block opened by `<script>`, `<style>`, `<textarea>`… runs to its closing tag
 * or the end of the document, so the headings and lists after it were already swallowed into it,
 * and an inline `<pre>`, `<code>`, `<kbd>` or `<script>` makes marked pass the rest of the
 * paragraph through as raw HTML content. Kept tags must not be among those four.
 */
function rawHtmlAsText(keep: ReadonlySet<string>): MarkedExtension {
  return {
    tokenizer: {
      html() {
        return undefined;
      },
      tag(src) {
        const match = this.rules.inline.tag.exec(src);
        if (!match) return false;
        const name = TAG_NAME.exec(match[0])?.[1]?.toLowerCase();
        if (name && keep.has(name)) return false;
        return { type: 'rawHtml', raw: match[0] } satisfies RawHtmlToken as unknown as Tokens.Tag;
      },
    },
    extensions: [{ name: 'rawHtml', renderer: (token) => escapeHtml(token.raw) }],
  };
}

// What Convene's own renderers make, safe by construction: links only with a safe scheme (else
// their words), task boxes as text, code escaped, no empty paragraphs.
const SAFE_RENDERER: RendererObject = {
  link({ href, tokens }) {
    const words = this.parser.parseInline(tokens);
    const target = href.trim();
    return SAFE_HREF.test(target) ? `<a href="${escapeHtml(target)}" rel="${LINK_REL}">${words}</a>` : words;
  },
  checkbox({ checked }) {
    return checked ? '[x] ' : '[ ] ';
  },
  code({ text }) {
    return `<pre><code>${escapeHtml(text.replace(/\n$/, ''))}\n</code></pre>\n`;
  },
  paragraph({ tokens }) {
    const words = this.parser.parseInline(tokens);
    return words.trim() === '' ? '' : `<p>${words}</p>\n`;
  },
};

// Inline tags a draft may write as raw HTML and keep (the sanitizer still cleans their
// attributes): formatting Markdown has no syntax for, and links. Everything else is shown as typed.
const DRAFT_KEPT_TAGS: ReadonlySet<string> = new Set(['sub', 'sup', 'br', 'em', 'strong', 'del', 'a']);

// Our own instances, so no other module's marked.use() can change how drafts and comments render.
const draftMarkdown = new Marked(
  { gfm: true, breaks: false, async: false },
  rawHtmlAsText(DRAFT_KEPT_TAGS),
  // An image is not kept (a reader's browser would fetch it) but its description is: a draft loses no words.
  {
    renderer: {
      ...SAFE_RENDERER,
      image({ tokens }) {
        return tokens ? this.parser.parseInline(tokens) : '';
      },
    },
  },
);

/** What rendering a draft changed, in one stretch of it (see renderDraftMarkdown). */
export interface DraftChanges {
  /** Raw HTML shown as typed: each tag by its name (`<script>`), comments as `<!-- -->`. */
  markupAsText: string[];
  /** Descriptions of the images dropped ('' for none). */
  imagesDropped: string[];
  /** Targets of the links reduced to their words (relative, fragment or unsafe). */
  linksRemoved: string[];
}

function changesIn(tokens: Token[]): DraftChanges {
  const changes: DraftChanges = { markupAsText: [], imagesDropped: [], linksRemoved: [] };
  draftMarkdown.walkTokens(tokens, (token) => {
    if (token.type === 'rawHtml') changes.markupAsText.push(markupLabel(token.raw as string));
    else if (token.type === 'image') changes.imagesDropped.push(normalizeWhitespace(token.text));
    else if (token.type === 'link' && !SAFE_HREF.test(token.href.trim())) changes.linksRemoved.push(token.href.trim());
    else if (token.type === 'html') {
      // A kept raw <a>: the sanitizer unwraps it unless its href is safe.
      const href = rawLinkHref(token.raw);
      if (href !== null && !SAFE_HREF.test(href)) changes.linksRemoved.push(href);
    }
  });
  return changes;
}

/** The href of a raw `<a …>` tag, entities decoded as a browser would ('' when it has none); null for any other tag. */
function rawLinkHref(raw: string): string | null {
  let href: string | null = null;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name === 'a') href = (attribs.href ?? '').trim();
      },
    },
    { decodeEntities: true },
  );
  parser.end(raw);
  return href;
}

function markupLabel(raw: string): string {
  if (raw.startsWith('<!--')) return '<!-- -->';
  const name = TAG_NAME.exec(raw)?.[1];
  return name ? `<${name.toLowerCase()}>` : `${raw.slice(0, 2)}…>`;
}

/**
 * A draft's Markdown (GitHub flavour) to safe HTML, and what that changed: raw HTML other than a
 * few inline tags shown as typed, images dropped (their descriptions kept), unsafe links reduced
 * to their words. `changes[0]` is what came before the first top-level heading, `changes[i]` what
 * came under the i-th, so an importer can name the clause. Rendering the whole document at once
 * (rather than clause by clause) keeps reference-style links working across clauses.
 */
export function renderDraftMarkdown(md: string): { html: string; changes: DraftChanges[] } {
  checkMarkdownDepth(md);
  return withStackGuard(() => {
    const tokens = draftMarkdown.lexer(md);
    const stretches: Token[][] = [[]];
    for (const token of tokens) {
      if (token.type === 'heading') stretches.push([]);
      stretches.at(-1)!.push(token);
    }
    return { html: sanitizeRichText(draftMarkdown.parser(tokens)), changes: stretches.map(changesIn) };
  });
}

/** A draft's Markdown to safe HTML (see renderDraftMarkdown). */
export function renderMarkdown(md: string): string {
  return renderDraftMarkdown(md).html;
}

// Comments are written in Convene's own box, not converted from elsewhere: raw HTML in them is
// shown as the characters typed ("the <Nonce> field", "a < b" stay readable instead of vanishing
// as unknown tags). So their HTML holds only what these renderers make: the allow-list's tags,
// links only with a safe scheme, no images (a reader's browser would fetch them), task boxes as
// text — inside the allow-list by construction, with no sanitizer pass, which was most of a
// comment POST's rendering cost. A property test checks sanitizeRichText would change nothing.
const commentMarkdown = new Marked({ gfm: true, breaks: false, async: false }, rawHtmlAsText(new Set()), {
  renderer: {
    ...SAFE_RENDERER,
    image() {
      return '';
    },
  },
});

/** A comment's Markdown (GitHub flavour; raw HTML shown as typed) to safe HTML. */
export function renderCommentMarkdown(md: string): string {
  checkMarkdownDepth(md);
  return withStackGuard(() => commentMarkdown.parse(md, { async: false }));
}

// Elements after which the words of two neighbours must not run together in the plain text.
const BLOCK_BOUNDARY = new Set([
  'p',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'table',
  'caption',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'div',
  'section',
  'article',
]);
const SKIPPED_CONTENT = new Set(DROPPED_WITH_CONTENT);

/** Plain text of an HTML fragment, entities decoded, all whitespace runs collapsed to one space. */
export function htmlToPlainText(html: string): string {
  const parts: string[] = [];
  let skipping = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED_CONTENT.has(name)) skipping++;
        if (BLOCK_BOUNDARY.has(name)) parts.push(' ');
      },
      onclosetag(name) {
        if (SKIPPED_CONTENT.has(name)) skipping = Math.max(0, skipping - 1);
        if (BLOCK_BOUNDARY.has(name)) parts.push(' ');
      },
      ontext(text) {
        if (skipping === 0) parts.push(text);
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return normalizeWhitespace(parts.join(''));
}

export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}
