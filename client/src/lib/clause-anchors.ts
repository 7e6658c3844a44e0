// Where a link into the document view lands. Clauses are addressed by their number (#7.1, as
// people write them) and comments by theirs (#comment-12); the opaque #clause-<id> of older
// links still resolves. Landing scrolls the target to the top, moves the focus there, and holds
// it there while the clauses above it take their real heights: off-screen clauses are not laid
// out (content-visibility: auto) and are only estimated until rendered, so a plain jump lands
// hundreds of pixels off on a long draft.

export interface AnchoredClause {
  id: string;
  number: string;
}

/** The fragment of a clause: its number, without spaces ("Annex A" → "Annex-A"); the front matter has none. */
export function clauseAnchors(clauses: readonly AnchoredClause[]): Map<string, string> {
  const anchors = new Map<string, string>();
  const taken = new Set<string>();
  for (const c of clauses) {
    const base = c.number.trim().replace(/\s+/g, '-') || 'front-matter';
    let anchor = base;
    // Two clauses with one number (a draft's mistake) still get an address each.
    for (let n = 2; taken.has(anchor) || anchor.startsWith('comment-') || anchor.startsWith('clause-'); n++) anchor = `${base}-${n}`;
    taken.add(anchor);
    anchors.set(c.id, anchor);
  }
  return anchors;
}

export type HashTarget = { kind: 'clause'; clauseId: string; anchor: string } | { kind: 'comment'; number: number } | null;

/** What a fragment names in this revision: a clause (by its anchor or its old id) or a comment. */
export function resolveHash(hash: string, anchors: ReadonlyMap<string, string>): HashTarget {
  let name = hash.replace(/^#/, '');
  try {
    name = decodeURIComponent(name);
  } catch {
    /* a malformed escape is read as typed */
  }
  if (!name) return null;
  const comment = /^comment-(\d+)$/.exec(name);
  if (comment) return { kind: 'comment', number: Number(comment[1]) };
  const legacy = /^clause-(.+)$/.exec(name);
  if (legacy && anchors.has(legacy[1]!)) return { kind: 'clause', clauseId: legacy[1]!, anchor: anchors.get(legacy[1]!)! };
  for (const [clauseId, anchor] of anchors) if (anchor === name) return { kind: 'clause', clauseId, anchor };
  return null;
}

/** A clause typed by a reader ("7.1", "clause 7.1", "§ 7.1", "annex a") to its id. */
export function findClause(clauses: readonly AnchoredClause[], typed: string): string | undefined {
  const wanted = typed
    .trim()
    .replace(/^(clause|§)\s*/i, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (!wanted) return undefined;
  return clauses.find((c) => c.number.trim().toLowerCase() === wanted)?.id;
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/**
 * Scrolls `target` to the top of the viewport and focuses `focus` (without a second scroll). The
 * clauses above are laid out for the jump, so the target is measured where it really is; for a
 * few frames the position is checked again and corrected while comments are still revealed.
 */
export async function landOn(target: HTMLElement, focus: HTMLElement): Promise<void> {
  const clause = target.closest<HTMLElement>('.clause');
  const above: HTMLElement[] = [];
  for (let el = clause?.previousElementSibling ?? null; el; el = el.previousElementSibling) {
    if (el instanceof HTMLElement && el.classList.contains('clause')) above.push(el);
  }
  for (const el of above) el.classList.add('is-laid-out');
  const place = () => target.scrollIntoView({ block: 'start', behavior: 'instant' });
  const offset = () => target.getBoundingClientRect().top - Number.parseFloat(getComputedStyle(target).scrollMarginBlockStart || '0');
  place();
  focus.focus({ preventScroll: true });
  let calm = 0;
  // Laid out: held until three frames pass without a move. Then skipped again, at their real
  // (remembered) sizes, and checked once more.
  for (let frame = 0; frame < 40 && calm < 3; frame++) {
    await nextFrame();
    if (Math.abs(offset()) > 1) {
      place();
      calm = 0;
    } else calm++;
  }
  for (const el of above) el.classList.remove('is-laid-out');
  for (let frame = 0; frame < 3; frame++) {
    await nextFrame();
    if (Math.abs(offset()) > 1) place();
  }
}

/** Highlights each quote in its clause's text (CSS Custom Highlight API: the server's HTML is left untouched). */
export function highlightQuotes(name: string, bodies: ReadonlyMap<HTMLElement, readonly string[]>): () => void {
  if (typeof CSS === 'undefined' || !('highlights' in CSS) || typeof Highlight === 'undefined') return () => {};
  const ranges: Range[] = [];
  for (const [body, quotes] of bodies) {
    const nodes: Text[] = [];
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
    // The clause's text as one string, spaces collapsed as the server matches quotes.
    let text = '';
    const at: { node: Text; offset: number }[] = [];
    for (const node of nodes) {
      for (let i = 0; i < node.data.length; i++) {
        const ch = /\s/.test(node.data[i]!) ? ' ' : node.data[i]!;
        if (ch === ' ' && text.endsWith(' ')) continue;
        text += ch;
        at.push({ node, offset: i });
      }
    }
    for (const quote of new Set(quotes)) {
      const wanted = quote.replace(/\s+/g, ' ').trim();
      if (!wanted) continue;
      for (let start = text.indexOf(wanted); start >= 0; start = text.indexOf(wanted, start + wanted.length)) {
        const first = at[start]!;
        const last = at[start + wanted.length - 1]!;
        const range = document.createRange();
        range.setStart(first.node, first.offset);
        range.setEnd(last.node, last.offset + 1);
        ranges.push(range);
      }
    }
  }
  CSS.highlights.set(name, new Highlight(...ranges));
  return () => CSS.highlights.delete(name);
}
