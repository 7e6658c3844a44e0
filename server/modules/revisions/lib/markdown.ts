// Rich text for drafts and comments: Markdown → HTML, one strict allow-list for every HTML we
// store (Markdown output, converted .docx), and the plain text used for quotes and diffs.
// Everything we store is rendered to other participants' browsers, so the allow-list is the
// XSS boundary: keep it small and positive (name what may pass, never what may not).
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { Parser } from 'htmlparser2';

const LINK_REL = 'noopener noreferrer nofollow';

// Only absolute links with these schemes survive. Relative and fragment links are dropped too:
// a stored clause is shown out of its original document, where they would point nowhere.
const SAFE_HREF = /^(?:https?:\/\/|mailto:)/i;

// Tags whose content is code or markup rather than readable text: dropped whole, not unwrapped.
const DROPPED_WITH_CONTENT = [
  'script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'template',
  'svg', 'math', 'title', 'xmp', 'noembed', 'noframes', 'select', 'head',
];

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre',
    'code', 'em', 'strong', 'del', 'sub', 'sup', 'a',
    'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
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

// Our own instance, so no other module's marked.use() can change how drafts render.
const markdown = new Marked({ gfm: true, breaks: false, async: false });

/** Markdown (GitHub flavour, raw HTML allowed in but sanitized out) to safe HTML. */
export function renderMarkdown(md: string): string {
  const html = markdown.parse(md, { async: false });
  return sanitizeRichText(html);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

// Comments are written in Convene's own box, not converted from elsewhere: raw HTML in them is
// shown as the characters typed ("the <Nonce> field", "a < b" stay readable instead of vanishing
// as unknown tags). So their HTML holds only what these renderers make: the allow-list's tags,
// links only with a safe scheme, no images (a reader's browser would fetch them), task boxes as
// text — inside the allow-list by construction, with no sanitizer pass, which was most of a
// comment POST's rendering cost. A property test checks sanitizeRichText would change nothing.
const commentMarkdown = new Marked({
  gfm: true, breaks: false, async: false,
  renderer: {
    // A block of raw HTML becomes a paragraph of its characters; inline, just the characters.
    html({ text, block }) { return block ? `<p>${escapeHtml(text.trim())}</p>\n` : escapeHtml(text); },
    // After an inline <pre>, <code>, <kbd> or <script> tag, marked takes the paragraph's following
    // text as raw HTML content (text tokens flagged `escaped`) and passes it through as it is. Here
    // that tag was shown as typed, so its "content" is ordinary text and is escaped like any other
    // ("**<script><img src=x onerror=…" must not produce an <img>). Other text: marked's own renderer.
    text(token) {
      return !('tokens' in token && token.tokens) && 'escaped' in token && token.escaped ? escapeHtml(token.text) : false;
    },
    link({ href, tokens }) {
      const words = this.parser.parseInline(tokens);
      const target = href.trim();
      return SAFE_HREF.test(target) ? `<a href="${escapeHtml(target)}" rel="${LINK_REL}">${words}</a>` : words;
    },
    image() { return ''; },
    checkbox({ checked }) { return checked ? '[x] ' : '[ ] '; },
    code({ text }) { return `<pre><code>${escapeHtml(text.replace(/\n$/, ''))}\n</code></pre>\n`; },
    paragraph({ tokens }) {
      const words = this.parser.parseInline(tokens);
      return words.trim() === '' ? '' : `<p>${words}</p>\n`;
    },
  },
});

/** A comment's Markdown (GitHub flavour; raw HTML shown as typed) to safe HTML. */
export function renderCommentMarkdown(md: string): string {
  return commentMarkdown.parse(md, { async: false });
}

// Elements after which the words of two neighbours must not run together in the plain text.
const BLOCK_BOUNDARY = new Set([
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'div', 'section', 'article',
]);
const SKIPPED_CONTENT = new Set(DROPPED_WITH_CONTENT);

/** Plain text of an HTML fragment, entities decoded, all whitespace runs collapsed to one space. */
export function htmlToPlainText(html: string): string {
  const parts: string[] = [];
  let skipping = 0;
  const parser = new Parser({
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
  }, { decodeEntities: true });
  parser.end(html);
  return normalizeWhitespace(parts.join(''));
}

export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}
