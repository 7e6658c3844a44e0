// Revision N against revision M as HTML with <ins>/<del>, which docx/html turns into Word's tracked
// changes. Block by block: the blocks of the two clause bodies (paragraphs, list items, table
// cells, …) are aligned first, and two blocks that took each other's place are compared word by
// word, with each word's formatting, so accepting every change gives N's text and rejecting every
// change gives M's. A block with no counterpart is inserted or deleted whole.
import { diffArrays } from 'diff';
import { parseDocument } from 'htmlparser2';

/** The little of htmlparser2's DOM read here: text nodes and elements. */
interface Node {
  type: string;
  data?: string;
}
interface Element extends Node {
  name: string;
  attribs: Record<string, string>;
  children: Node[];
}
const parse = (html: string) => parseDocument(html).children as unknown as Node[];

/** A block, or a run of inline content between blocks (a list item's words before its sub-list). */
type Block = { kind: 'element'; element: Element } | { kind: 'inline'; nodes: Node[] };

const VOID = new Set(['br', 'hr', 'img']);
const BLOCK = new Set([
  'p',
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
  'hr',
  'div',
]);

const isElement = (node: Node): node is Element => node.type === 'tag' || node.type === 'script' || node.type === 'style';
const isBlock = (node: Node) => isElement(node) && BLOCK.has(node.name);

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
const escapeAttribute = (value: string) => escapeHtml(value).replaceAll('"', '&quot;');

function openTag(element: Element): string {
  const attributes = Object.entries(element.attribs)
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
    .join('');
  return `<${element.name}${attributes}>`;
}

function serialize(node: Node): string {
  if (node.type === 'text') return escapeHtml(node.data ?? '');
  if (!isElement(node)) return '';
  if (VOID.has(node.name)) return openTag(node);
  return `${openTag(node) + node.children.map(serialize).join('')}</${node.name}>`;
}

/** The same markup with every piece of text marked inserted (or deleted). */
function marked(node: Node, mark: 'ins' | 'del'): string {
  if (node.type === 'text') {
    const data = node.data ?? '';
    return data === '' ? '' : `<${mark}>${escapeHtml(data)}</${mark}>`;
  }
  if (!isElement(node)) return '';
  if (VOID.has(node.name)) return openTag(node);
  return `${openTag(node) + node.children.map((child) => marked(child, mark)).join('')}</${node.name}>`;
}

function blocksOf(nodes: readonly Node[]): Block[] {
  const blocks: Block[] = [];
  let inline: Node[] = [];
  const flush = () => {
    // Whitespace between blocks is formatting of the HTML, not text of the document.
    if (inline.some((node) => node.type !== 'text' || (node.data ?? '').trim() !== '')) blocks.push({ kind: 'inline', nodes: inline });
    inline = [];
  };
  for (const node of nodes) {
    if (isBlock(node)) {
      flush();
      blocks.push({ kind: 'element', element: node as Element });
    } else if (node.type === 'text' || isElement(node)) inline.push(node);
  }
  flush();
  return blocks;
}

const blockHtml = (block: Block) => (block.kind === 'element' ? serialize(block.element) : block.nodes.map(serialize).join(''));
const blockMarked = (block: Block, mark: 'ins' | 'del') =>
  block.kind === 'element' ? marked(block.element, mark) : block.nodes.map((node) => marked(node, mark)).join('');
const blockTag = (block: Block) => (block.kind === 'element' ? block.element.name : '#inline');

/** The tracked HTML of a clause body changed from `before` to `after`. */
export function trackedHtml(before: string, after: string): string {
  return diffBlocks(blocksOf(parse(before)), blocksOf(parse(after)));
}

/** A whole body inserted (a clause that is new) or deleted (a clause that was removed). */
export function wholeHtml(html: string, mark: 'ins' | 'del'): string {
  return parse(html)
    .map((node) => marked(node, mark))
    .join('');
}

function diffBlocks(before: Block[], after: Block[]): string {
  const parts = diffArrays(before.map(blockHtml), after.map(blockHtml));
  let out = '';
  let i = 0;
  let j = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    if (!part.added && !part.removed) {
      for (let k = 0; k < part.count!; k++) out += blockHtml(after[j + k]!);
      i += part.count!;
      j += part.count!;
      continue;
    }
    // A removal next to an addition: the blocks that took each other's place, paired in order.
    const next = parts[p + 1];
    const removedCount = part.removed ? part.count! : next?.removed ? next.count! : 0;
    const addedCount = part.added ? part.count! : next?.added ? next.count! : 0;
    if ((part.removed && next?.added) || (part.added && next?.removed)) p++;
    const removed = before.slice(i, i + removedCount);
    const added = after.slice(j, j + addedCount);
    i += removedCount;
    j += addedCount;
    out += replaced(removed, added);
  }
  return out;
}

function replaced(removed: Block[], added: Block[]): string {
  let out = '';
  const pairs = Math.max(removed.length, added.length);
  // Deleted blocks without a counterpart go before the inserted ones, as Word shows a replacement.
  for (let k = 0; k < pairs; k++) {
    const old = removed[k];
    const now = added[k];
    if (old && now && blockTag(old) === blockTag(now)) out += pairedBlock(old, now);
    else out += (old ? blockMarked(old, 'del') : '') + (now ? blockMarked(now, 'ins') : '');
  }
  return out;
}

function pairedBlock(old: Block, now: Block): string {
  if (old.kind === 'inline' || now.kind === 'inline') {
    return diffInline(old.kind === 'inline' ? old.nodes : [], now.kind === 'inline' ? now.nodes : []);
  }
  const element = now.element;
  if (VOID.has(element.name)) return openTag(element);
  const nested = element.children.some(isBlock) || old.element.children.some(isBlock);
  const inner = nested ? diffBlocks(blocksOf(old.element.children), blocksOf(element.children)) : diffInline(old.element.children, element.children);
  return `${openTag(element) + inner}</${element.name}>`;
}

/** A word, a run of spaces, a punctuation mark or a line break, with the inline tags around it. */
interface Token {
  text: string;
  /** The open tags around it, outermost first: `<strong><a href="…">`. */
  format: string;
  closers: string;
  lineBreak: boolean;
}

const WORDS = /\s+|[\p{L}\p{N}\p{M}_]+|[^\s\p{L}\p{N}\p{M}_]/gu;

function tokens(nodes: readonly Node[], format = '', closers = '', out: Token[] = []): Token[] {
  for (const node of nodes) {
    if (node.type === 'text') {
      for (const match of (node.data ?? '').matchAll(WORDS)) out.push({ text: match[0], format, closers, lineBreak: false });
    } else if (isElement(node)) {
      if (node.name === 'br') out.push({ text: '\n', format, closers, lineBreak: true });
      else if (!VOID.has(node.name)) tokens(node.children, format + openTag(node), `</${node.name}>${closers}`, out);
    }
  }
  return out;
}

function diffInline(before: readonly Node[], after: readonly Node[]): string {
  const parts = diffArrays(tokens(before), tokens(after), { comparator: (a, b) => a.text === b.text && a.format === b.format });
  let out = '';
  for (const part of parts) {
    const mark = part.added ? 'ins' : part.removed ? 'del' : null;
    // Consecutive tokens in the same formatting are written as one run.
    let k = 0;
    while (k < part.value.length) {
      const first = part.value[k]!;
      let text = '';
      while (k < part.value.length && part.value[k]!.format === first.format) {
        const token = part.value[k]!;
        text += token.lineBreak ? '<br>' : escapeHtml(token.text);
        k++;
      }
      // A line break cannot be tracked by docx/html: it is kept on both sides, its words are not.
      const body = mark
        ? text
            .split('<br>')
            .map((piece) => (piece === '' ? '' : `<${mark}>${piece}</${mark}>`))
            .join('<br>')
        : text;
      out += first.format + body + first.closers;
    }
  }
  return out;
}
