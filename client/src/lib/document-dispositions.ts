// The decided dispositions of the comments a document view shows, for the disposition under
// each comment: one request per document and revision (GET …/dispositions/decided, the members'
// view), shared by every comment of the view, kept live from the document's socket events (the
// view's own channel: live-document.ts followDocument) and refetched whenever the view refetches.
// Each comment subscribes to its own disposition, so a change re-renders that comment only.
import { useCallback, useSyncExternalStore } from 'react';
import { adjudicationApi, type Disposition } from '../api/adjudication-endpoints.ts';
import { followDocument } from './live-document.ts';

/** What the members' view shows under a comment: proposed or final (an editor's draft is presented as undecided). */
export const isDecided = (d: Pick<Disposition, 'status'>) => d.status === 'proposed' || d.status === 'final';

/** A newer version replaces an older one; a disposition no longer decided is dropped. Pure. */
export function applyDisposition(current: ReadonlyMap<string, Disposition>, incoming: Disposition): Map<string, Disposition> | null {
  const known = current.get(incoming.commentId);
  if (known && known.version >= incoming.version) return null;
  const next = new Map(current);
  if (isDecided(incoming)) next.set(incoming.commentId, incoming);
  else if (known) next.delete(incoming.commentId);
  else return null;
  return next;
}

/** How long the data outlives its last comment on screen (a list re-rendering or scrolling out and back in). */
const KEEP_MS = 15_000;

interface Entry {
  byComment: Map<string, Disposition>;
  listeners: Set<() => void>;
  stopFollowing: () => void;
  release: ReturnType<typeof setTimeout> | undefined;
  refetchTimer: ReturnType<typeof setTimeout> | undefined;
}

const entries = new Map<string, Entry>();
const keyOf = (slug: string, documentId: string, revision: number) => `${slug}/${documentId}/${revision}`;

function notify(entry: Entry) {
  for (const listener of entry.listeners) listener();
}

function load(slug: string, documentId: string, revision: number, entry: Entry) {
  adjudicationApi.decided(slug, documentId, revision).then(
    (answer) => {
      // Merged by version: an event or a write that arrived while the request was under way is newer and stays.
      const next = new Map(entry.byComment);
      let changed = false;
      for (const d of answer.items) {
        const known = next.get(d.commentId);
        if (!known || known.version < d.version) {
          next.set(d.commentId, d);
          changed = true;
        }
      }
      if (!changed) return;
      entry.byComment = next;
      notify(entry);
    },
    () => {
      /* Not allowed or offline: nothing is shown under the comments; the next refetch tries again. */
    },
  );
}

function entryFor(slug: string, documentId: string, revision: number): Entry {
  const key = keyOf(slug, documentId, revision);
  let entry = entries.get(key);
  if (entry) {
    clearTimeout(entry.release);
    entry.release = undefined;
    return entry;
  }
  const created: Entry = { byComment: new Map(), listeners: new Set(), stopFollowing: () => {}, release: undefined, refetchTimer: undefined };
  entry = created;
  entries.set(key, created);
  const refetch = () => {
    // A burst of refetches (reconnecting, polling) costs one request.
    clearTimeout(created.refetchTimer);
    created.refetchTimer = setTimeout(() => load(slug, documentId, revision, created), 150);
  };
  created.stopFollowing = followDocument(documentId, {
    event: (name, data) => {
      // An import may bring proposed dispositions with its comments, announced by the batch's one event.
      if (name === 'comments.imported') return refetch();
      if (!name.startsWith('dispositions.')) return;
      const incoming = (data as { disposition?: Disposition } | null)?.disposition;
      if (incoming) storeDisposition(slug, documentId, revision, incoming);
    },
    refetch,
  });
  load(slug, documentId, revision, created);
  return created;
}

function releaseEntry(slug: string, documentId: string, revision: number, entry: Entry) {
  if (entry.listeners.size) return;
  clearTimeout(entry.release);
  entry.release = setTimeout(() => {
    if (entry.listeners.size) return;
    entry.stopFollowing();
    clearTimeout(entry.refetchTimer);
    entries.delete(keyOf(slug, documentId, revision));
  }, KEEP_MS);
}

/** A disposition the server answered with (our own write) or sent live. */
export function storeDisposition(slug: string, documentId: string, revision: number, disposition: Disposition): void {
  const entry = entries.get(keyOf(slug, documentId, revision));
  if (!entry) return;
  const next = applyDisposition(entry.byComment, disposition);
  if (!next) return;
  entry.byComment = next;
  notify(entry);
}

/** The decided disposition of one comment of the view, or undefined; live. */
export function useCommentDisposition(slug: string, documentId: string, revision: number, commentId: string): Disposition | undefined {
  const subscribe = useCallback(
    (listener: () => void) => {
      const entry = entryFor(slug, documentId, revision);
      entry.listeners.add(listener);
      return () => {
        entry.listeners.delete(listener);
        releaseEntry(slug, documentId, revision, entry);
      };
    },
    [slug, documentId, revision],
  );
  const snapshot = () => entries.get(keyOf(slug, documentId, revision))?.byComment.get(commentId);
  return useSyncExternalStore(subscribe, snapshot);
}
