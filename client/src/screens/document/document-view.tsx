// The document view: a revision's clauses in order with their comment counts, each clause's
// comments and threads below it (beside it on wide screens), the comment period's state, the
// composer, and live updates (others' comments appear and are announced politely; what you are
// typing is never touched: composers keep their own state, keyed by clause).
import '../../i18n/documents/index.ts';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type FormEvent, type MouseEvent } from 'react';
import { Link, useLocation } from 'wouter';
import {
  docsApi,
  loadAllComments,
  type Comment,
  type Document,
  type Period,
  type Phase,
  type Clause,
  type Revision,
  type RevisionSummary,
} from '../../api/document-endpoints.ts';
import { api, type Group } from '../../api/endpoints.ts';
import { urlOf } from '../../api/http.ts';
import { peekPrefetched, takeAllPrefetched, takeLivePosition } from '../../api/prefetched.ts';
import { ROUTES } from '../../api/routes.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { LoadError, Loading } from '../../components/errors.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { clauseAnchors, findClause, highlightQuotes, landOn, resolveHash } from '../../lib/clause-anchors.ts';
import { groupThreads, mergeComments, numberComments, openCount, periodAt, replaceComments, type PeriodState } from '../../lib/comment-threads.ts';
import { useDocumentLive, type LiveStatus } from '../../lib/live-document.ts';
import { useNow } from '../../lib/use-resource.ts';
import { useSession } from '../../session.tsx';
import { CommentList, type ThreadContext } from './comments.tsx';
import { Composer } from './composer.tsx';
import { closedReason, PeriodStatus } from './period-status.tsx';
import { DocumentToolsSlot } from './slots.tsx';
import { WordTools } from './word-tools.tsx';

interface Loaded {
  group: Group;
  document: Document;
  revision: Revision | null;
  periods: Period[];
  phase: Phase | undefined;
  comments: Comment[];
  /** The document's comments on other revisions, only for numbering (a comment's number counts every revision). */
  others: Numbered[];
  /** Where the document's live stream stood when this data was read (the page's data only). */
  livePosition?: number | undefined;
}

type Numbered = Pick<Comment, 'id' | 'createdAt'>;
const othersOf = (all: readonly Comment[], seq: number): Numbered[] => all.filter((c) => c.revision !== seq).map(({ id, createdAt }) => ({ id, createdAt }));

/** What the view renders once the document has a revision to show. */
type Shown = Loaded & { revision: Revision };
const hasRevision = (data: Loaded): data is Shown => data.revision !== null;

/** The revision shown when the address names none: the latest. */
const currentSequence = (document: Document) => document.latestRevision?.sequence ?? document.revisions.at(-1)?.sequence;

// Two round trips: everything that does not depend on the revision number at once, then the revision.
async function loadView(slug: string, documentId: string, sequence: number | undefined): Promise<Loaded> {
  const [group, document, { periods }, phase, all] = await Promise.all([
    api.group(slug),
    docsApi.document(slug, documentId),
    docsApi.periods(slug, documentId),
    docsApi.phase(slug).catch(() => undefined),
    loadAllComments(slug, documentId),
  ]);
  const seq = sequence ?? currentSequence(document);
  if (seq === undefined) return { group, document, revision: null, periods: [], phase: undefined, comments: [], others: [] };
  const revision = await docsApi.revision(slug, documentId, seq);
  return { group, document, revision, periods, phase, comments: all.filter((c) => c.revision === seq), others: othersOf(all, seq) };
}

/**
 * The same data, when the page carries all of it (server/modules/client-shell puts the API's
 * answers to loadView's requests into the HTML): the view renders in its very first render.
 */
function viewFromPage(slug: string, documentId: string, sequence: number | undefined): Loaded | undefined {
  const params = { slug, documentId };
  const document = peekPrefetched<Document>(urlOf(ROUTES.document, { params }));
  const seq = sequence ?? (document && currentSequence(document));
  if (seq === undefined) return undefined;
  const answers = takeAllPrefetched([
    urlOf(ROUTES.group, { params: { slug } }),
    urlOf(ROUTES.document, { params }),
    urlOf(ROUTES.periods, { params }),
    urlOf(ROUTES.phase, { params: { slug } }),
    urlOf(ROUTES.allComments, { params }),
    urlOf(ROUTES.revision, { params: { ...params, sequence: String(seq) } }),
  ]);
  if (!answers) return undefined;
  const [group, doc, { periods }, phase, { comments }, revision] = answers as [
    Group,
    Document,
    { periods: Period[] },
    Phase,
    { comments: Comment[] },
    Revision,
  ];
  return {
    group,
    document: doc,
    revision,
    periods,
    phase,
    comments: comments.filter((c) => c.revision === seq),
    others: othersOf(comments, seq),
    livePosition: takeLivePosition(`document:${documentId}`),
  };
}

export function DocumentScreen({ slug, documentId, sequence }: { slug: string; documentId: string; sequence?: number }) {
  const { t } = useI18n();
  const [state, setState] = useState<{ data?: Loaded; error?: unknown }>(() => ({ data: viewFromPage(slug, documentId, sequence) }));
  const [generation, setGeneration] = useState(0);
  const fromPage = useRef(state.data !== undefined);
  useEffect(() => {
    if (fromPage.current) {
      fromPage.current = false;
      return;
    }
    let live = true;
    loadView(slug, documentId, sequence).then(
      (data) => {
        if (live) setState({ data });
      },
      (error: unknown) => {
        if (live) setState({ error });
      },
    );
    return () => {
      live = false;
    };
  }, [slug, documentId, sequence, generation]);

  if (!state.data) {
    return (
      <div className="page">
        <PageHeading title={t('common.loading')} />
        {state.error ? <LoadError error={state.error} onRetry={() => setGeneration((g) => g + 1)} /> : <Loading />}
      </div>
    );
  }
  if (!hasRevision(state.data)) {
    return (
      <div className="page">
        <PageHeading title={state.data.document.title}>
          <bdi>{state.data.document.title}</bdi>
        </PageHeading>
        <p>{t('doc.noRevision')}</p>
        {state.data.group.abilities['revisions.post'] ? (
          <p>
            <Link href={`/groups/${slug}/documents/${documentId}/new-revision`}>{t('doc.postRevision')}</Link>
          </p>
        ) : null}
      </div>
    );
  }
  // Keyed by revision: switching revisions starts a fresh view (and fresh composers).
  return <LoadedDocument key={state.data.revision.id} slug={slug} initial={state.data} />;
}

/** The period's state, re-evaluated exactly when the next opening or close passes. */
function usePeriodState(periods: Period[], sequence: number): PeriodState<Period> {
  const [now, setNow] = useState(() => Date.now());
  const state = periodAt(periods, sequence, now);
  useEffect(() => {
    const edges = periods.flatMap((p) => [Date.parse(p.opensAt.iso), Date.parse(p.closesAt.iso)]).filter((at) => at > now);
    if (!edges.length) return;
    const wait = Math.min(...edges) - Date.now();
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, Math.min(wait + 50, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [periods, now]);
  return state;
}

function LoadedDocument({ slug, initial }: { slug: string; initial: Shown }) {
  const { t, tb, locale } = useI18n();
  const announce = useAnnounce();
  const { user } = useSession();
  const { group, document, revision } = initial;
  const sequence = revision.sequence;
  const [comments, setComments] = useState(() => new Map(initial.comments.map((c) => [c.id, c])));
  const [periods, setPeriods] = useState(initial.periods);
  const [phase, setPhase] = useState(initial.phase);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(() => new Set());
  const [newRevision, setNewRevision] = useState<RevisionSummary | null>(null);
  const [quotes, setQuotes] = useState<Record<string, { text: string; nonce: number }>>({});
  const periodState = usePeriodState(periods, sequence);
  const clauseLabel = useMemo(() => new Map(revision.clauses.map((c) => [c.id, t('doc.clauseTarget', { number: c.number })])), [revision, t]);
  const targetOf = useCallback((clauseId: string | null) => (clauseId ? (clauseLabel.get(clauseId) ?? '') : t('doc.wholeDocument')), [clauseLabel, t]);

  const reloadPeriods = useCallback(() => {
    docsApi.periods(slug, document.id).then(
      (r) => setPeriods(r.periods),
      () => {},
    );
    docsApi.phase(slug).then(setPhase, () => {});
  }, [slug, document.id]);
  const known = useRef(comments);
  known.current = comments;
  /** `markNew`: the comments not shown before are marked as new, as live ones are. */
  const reloadComments = useCallback(
    (markNew: boolean) => {
      loadAllComments(slug, document.id).then(
        (list) => {
          const shown = list.filter((c) => c.revision === sequence);
          if (markNew) {
            const added = shown.filter((c) => !known.current.has(c.id)).map((c) => c.id);
            if (added.length) setFresh((s) => new Set([...s, ...added]));
          }
          setComments((current) => replaceComments(current, shown));
        },
        () => {},
      );
    },
    [slug, document.id, sequence],
  );
  const refetch = useCallback(() => {
    reloadComments(false);
    reloadPeriods();
  }, [reloadComments, reloadPeriods]);

  const onEvent = useCallback(
    (name: string, data: unknown) => {
      if (name === 'comments.imported') {
        // One event for the whole batch (a file may hold hundreds of rows): the comments are read over HTTP.
        const batch = data as { revision: number; comments: number };
        if (batch.revision !== sequence) return;
        reloadComments(true);
        announce(t('doc.live.imported', { count: batch.comments }));
      } else if (name.startsWith('comments.')) {
        const comment = data as Comment;
        if (comment.revision !== sequence) return;
        const isNew = !known.current.has(comment.id);
        setComments((current) => mergeComments(current, [comment]));
        if (name === 'comments.created' && isNew && comment.author.id !== user?.id) {
          setFresh((s) => new Set(s).add(comment.id));
          announce(t(comment.parentId ? 'doc.live.newReply' : 'doc.live.newComment', { name: comment.author.name, target: targetOf(comment.clauseId) }));
        }
      } else if (name.startsWith('periods.')) {
        reloadPeriods();
        announce(t('doc.live.periodChanged'));
      } else if (name === 'revisions.posted') {
        setNewRevision(data as RevisionSummary);
        announce(t('doc.live.newRevision', { label: (data as RevisionSummary).label }));
      }
    },
    [sequence, user?.id, announce, t, targetOf, reloadPeriods, reloadComments],
  );
  const liveStatus = useDocumentLive(document.id, { event: onEvent, refetch }, initial.livePosition);

  const upsert = useCallback((comment: Comment) => setComments((current) => mergeComments(current, [comment])), []);
  const threads = useMemo(() => groupThreads(comments.values()), [comments]);
  const anchors = useMemo(() => clauseAnchors(revision.clauses), [revision]);
  // Read through a ref: a comment's number never changes, so the memoised threads need not
  // render again when another comment arrives.
  const numbers = useRef(new Map<string, number>());
  numbers.current = useMemo(() => numberComments([...initial.others, ...comments.values()]), [initial.others, comments]);
  const numberOf = useCallback((id: string) => numbers.current.get(id) ?? 0, []);

  // Lands on what a fragment names (a clause, a comment), focusing it; `push` adds a history entry.
  const land = useCallback(
    async (hash: string, push: boolean) => {
      const target = resolveHash(hash, anchors);
      if (!target) return;
      const fragment = target.kind === 'clause' ? `#${target.anchor}` : `#comment-${target.number}`;
      if (push) window.history.pushState(window.history.state, '', fragment);
      else if (window.location.hash !== fragment) window.history.replaceState(window.history.state, '', fragment);
      if (target.kind === 'clause') {
        const section = window.document.getElementById(target.anchor);
        const heading = window.document.getElementById(`clause-title-${target.clauseId}`);
        if (section && heading) await landOn(section, heading);
        return;
      }
      // A comment far down the page is revealed within a moment of the page.
      for (let frame = 0; frame < 300; frame++) {
        const card = window.document.getElementById(fragment.slice(1));
        if (card) return landOn(card, card);
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
    },
    [anchors],
  );
  useEffect(() => {
    const follow = () => void land(window.location.hash, false);
    if (window.location.hash) follow();
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, [land]);
  const followLink = useCallback(
    (event: MouseEvent<HTMLAnchorElement>) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = event.currentTarget;
      if (link.pathname !== window.location.pathname && !link.pathname.endsWith(`/revisions/${sequence}`)) return;
      event.preventDefault();
      void land(link.hash, true);
    },
    [land, sequence],
  );

  // "Comment on this" beside words selected in a clause; nothing opens until it is pressed.
  const [offer, setOffer] = useState<{ clauseId: string; text: string; top: number; left: number } | null>(null);
  useEffect(() => {
    if (!offer) return;
    const gone = () => {
      if (!window.getSelection()?.toString().trim()) setOffer(null);
    };
    window.document.addEventListener('selectionchange', gone);
    return () => window.document.removeEventListener('selectionchange', gone);
  }, [offer]);
  const offerSelection = (clauseId: string, body: HTMLElement) => {
    const selection = window.getSelection();
    const text = selection?.toString().trim() ?? '';
    if (!selection?.rangeCount || !text || !body.contains(selection.anchorNode) || !body.contains(selection.focusNode)) return;
    const box = selection.getRangeAt(0).getBoundingClientRect();
    const frame = (body.parentElement ?? body).getBoundingClientRect();
    setOffer({ clauseId, text, top: box.bottom - frame.top + 6, left: Math.max(0, Math.min(box.left - frame.left, frame.width - 180)) });
  };
  const acceptOffer = () => {
    if (!offer) return;
    setQuotes((q) => ({ ...q, [offer.clauseId]: { text: offer.text, nonce: (q[offer.clauseId]?.nonce ?? 0) + 1 } }));
    setOffer(null);
  };

  // The words each open comment quotes, highlighted in its clause.
  useEffect(() => {
    const bodies = new Map<HTMLElement, string[]>();
    for (const c of revision.clauses) {
      const quotes = (threads.byClause.get(c.id) ?? []).flatMap((x) => (x.status === 'open' && x.quotedText ? [x.quotedText] : []));
      const body = quotes.length ? window.document.getElementById(anchors.get(c.id)!)?.querySelector<HTMLElement>('.clause-body') : null;
      if (body) bodies.set(body, quotes);
    }
    return highlightQuotes('comment-quote', bodies);
  }, [threads, revision, anchors]);
  const closed = periodState.state === 'open' ? null : closedReason(t, locale, periodState);
  const canWrite = !!group.abilities['comments.create'];
  const open = periodState.state === 'open';
  const canReplyAnyTime = !!group.abilities['comments.replyAnyTime'];
  const meId = user?.id ?? '';
  // One object while nothing in it changes: the comment threads are memoised (comments.tsx).
  const ctx = useMemo<ThreadContext>(
    () => ({ group, document, slug, meId, open, canWrite, canReplyAnyTime, fresh, onChanged: upsert, numberOf, followLink }),
    [group, document, slug, meId, open, canWrite, canReplyAnyTime, fresh, upsert, numberOf, followLink],
  );

  const composer = (clauseId: string | null) =>
    canWrite ? (
      <Composer
        slug={slug}
        documentId={document.id}
        sequence={sequence}
        clauseId={clauseId}
        target={targetOf(clauseId)}
        closed={closed}
        quote={clauseId ? quotes[clauseId] : undefined}
        onPosted={upsert}
        onClosed={reloadPeriods}
      />
    ) : null;

  const documentComments = threads.byClause.get('') ?? [];
  // The lists in page order: the document as a whole, then each clause.
  // Sizes as first rendered: a list that grows meanwhile is simply revealed in its turn.
  const [reveal] = useState(() => createReveal(['', ...revision.clauses.map((c) => c.id)].map((id) => threads.byClause.get(id)?.length ?? 0)));
  useEffect(() => reveal.start(), [reveal]);
  return (
    <div className="page document-page">
      <PageHeading title={document.title}>
        <bdi>{document.title}</bdi>
      </PageHeading>
      <p className="hint subtitle">
        <Link href={`/groups/${slug}`}>{tb('doc.backToGroup', { group: group.name })}</Link>
        {' · '}
        {t('doc.revisionOf', { sequence, label: revision.label })}
        {revision.postedBy ? <> · {tb('doc.postedBy', { name: revision.postedBy.name })}</> : null}
      </p>
      <ClauseJump clauses={revision.clauses} onJump={(clauseId) => void land(`#${anchors.get(clauseId)}`, true)} />
      <DocumentTools slug={slug} group={group} document={document} sequence={sequence} />
      {newRevision && newRevision.sequence !== sequence ? (
        <p className="notice" role="status">
          {t('doc.newRevisionPosted', { label: newRevision.label })}{' '}
          <Link href={`/groups/${slug}/documents/${document.id}/revisions/${newRevision.sequence}`}>
            {t('doc.openRevision', { sequence: newRevision.sequence })}
          </Link>
        </p>
      ) : null}
      <PeriodPanel phase={phase} state={periodState} live={liveStatus} />
      {!canWrite ? <p className="hint">{t('doc.readOnly')}</p> : null}
      {revision.notes.length ? (
        <ul className="hint import-notes">
          {revision.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}

      <nav aria-labelledby="toc-title" className="panel toc">
        <h2 id="toc-title">{t('doc.clauses')}</h2>
        <ol>
          {revision.clauses.map((c) => (
            <li key={c.id}>
              <a href={`#${anchors.get(c.id)}`} onClick={followLink}>
                {c.number ? <span className="clause-number">{c.number} </span> : null}
                <bdi>{c.heading}</bdi>
              </a>{' '}
              <span className="hint">{t('doc.commentCount', { count: openCount(threads.byClause.get(c.id)) })}</span>
            </li>
          ))}
        </ol>
      </nav>

      <section aria-labelledby="whole-title" className="clause whole-document">
        <div className="clause-text">
          <h2 id="whole-title">{t('doc.wholeDocumentTitle')}</h2>
          <p className="hint">{t('doc.wholeDocumentHint')}</p>
        </div>
        <div className="clause-comments">
          <h3>{t('doc.commentsHeading', { count: openCount(documentComments) })}</h3>
          <RevealedList reveal={reveal} index={0} comments={documentComments} replies={threads.replies} ctx={ctx} />
          {composer(null)}
        </div>
      </section>

      {revision.clauses.map((c, index) => {
        const list = threads.byClause.get(c.id) ?? [];
        return (
          <section key={c.id} id={anchors.get(c.id)} aria-labelledby={`clause-title-${c.id}`} className="clause" data-clause={c.number}>
            <div className="clause-text">
              <h2 id={`clause-title-${c.id}`} tabIndex={-1}>
                <span className="clause-number">{c.number}</span> <bdi>{c.heading}</bdi>
              </h2>
              {/* Sanitized by the server (revisions: import → sanitize). Selecting words here offers to quote them. */}
              <div
                className="clause-body"
                dir="auto"
                data-testid="clause-body"
                onMouseUp={(e) => offerSelection(c.id, e.currentTarget)}
                onKeyUp={(e) => (e.key === 'Escape' ? setOffer(null) : offerSelection(c.id, e.currentTarget))}
                dangerouslySetInnerHTML={{ __html: c.html }}
              />
              {offer?.clauseId === c.id && canWrite && open ? (
                <button
                  type="button"
                  className="quote-offer"
                  style={{ top: offer.top, left: offer.left }}
                  // Pressing keeps the selection (it is what is quoted).
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={acceptOffer}
                  onKeyDown={(e) => e.key === 'Escape' && setOffer(null)}
                >
                  {t('doc.quoteOffer')}
                </button>
              ) : null}
              {c.earlierComments.length ? <p className="hint">{t('doc.earlierComments', { count: c.earlierComments.length })}</p> : null}
            </div>
            <div className="clause-comments">
              <h3>{t('doc.commentsHeading', { count: openCount(list) })}</h3>
              <RevealedList reveal={reveal} index={index + 1} comments={list} replies={threads.replies} ctx={ctx} />
              {composer(c.id)}
            </div>
          </section>
        );
      })}
    </div>
  );
}

/**
 * Comment threads rendered in one task. A long document's comments are rendered a few threads at
 * a time, each batch in a task of its own: the first with the page, the rest within a moment, in
 * page order. Rendering 320 comments at once held the main thread for over half a second on a
 * mid-range phone before anything could be clicked; every comment still ends up in the DOM (find
 * in page, screen readers, the browser's own scrolling to a clause). Only the lists that grow in
 * a batch render again (they subscribe to the reveal; their threads are memoised), not the page.
 */
const THREADS_PER_TASK = 8;

interface Reveal {
  /** Reveals the rest, a batch per task; returns the cleanup (an unmounted view stops). */
  start: () => () => void;
  subscribe: (listener: () => void) => () => void;
  /** How many threads of list `index` are shown. */
  shownOf: (index: number) => number;
}

/** Lists (their sizes in page order) revealed THREADS_PER_TASK threads at a time. */
function createReveal(sizes: readonly number[]): Reveal {
  const total = sizes.reduce((sum, n) => sum + n, 0);
  const starts = sizes.map((_, i) => sizes.slice(0, i).reduce((sum, n) => sum + n, 0));
  let shown = Math.min(THREADS_PER_TASK, total);
  const listeners = new Set<() => void>();
  return {
    start() {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const step = () => {
        if (shown >= total) return;
        timer = setTimeout(() => {
          shown = Math.min(shown + THREADS_PER_TASK, total);
          for (const listener of listeners) listener();
          step();
        }, 0);
      };
      step();
      return () => clearTimeout(timer);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    // Once all are revealed, a list shows all it has (it may have grown since).
    shownOf: (index) => (shown >= total ? Infinity : Math.max(0, Math.min(shown - starts[index]!, sizes[index]!))),
  };
}

/** A comment list, shown as far as the reveal has come. */
function RevealedList({ reveal, index, comments, ...rest }: { reveal: Reveal; index: number } & Parameters<typeof CommentList>[0]) {
  const shown = useSyncExternalStore(reveal.subscribe, () => reveal.shownOf(index));
  const visible = useMemo(() => (shown >= comments.length ? comments : comments.slice(0, shown)), [comments, shown]);
  if (shown === 0 && comments.length) return null;
  return <CommentList comments={visible} {...rest} />;
}

/** The skip-to-clause control: a clause's number, and the view lands on it with the focus on its heading. */
function ClauseJump({ clauses, onJump }: { clauses: Clause[]; onJump: (clauseId: string) => void }) {
  const { t } = useI18n();
  const [typed, setTyped] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const id = findClause(clauses, typed);
    setMissing(id ? null : typed.trim());
    if (id) onJump(id);
  };
  return (
    <form className="inline-form clause-jump" onSubmit={submit}>
      <div className="field">
        <label htmlFor="clause-jump">{t('doc.jump.label')}</label>
        <input
          id="clause-jump"
          list="clause-numbers"
          size={8}
          autoComplete="off"
          value={typed}
          aria-invalid={missing !== null || undefined}
          aria-describedby={missing !== null ? 'clause-jump-error' : undefined}
          onChange={(e) => setTyped(e.target.value)}
        />
        <datalist id="clause-numbers">{clauses.map((c) => (c.number ? <option key={c.id} value={c.number} label={c.heading} /> : null))}</datalist>
      </div>
      <button type="submit" className="secondary">
        {t('doc.jump.go')}
      </button>
      {missing !== null ? (
        <p className="error" id="clause-jump-error" role="alert" data-testid="clause-jump-error">
          {missing ? t('doc.jump.missing', { number: missing }) : t('doc.jump.empty')}
        </p>
      ) : null}
    </form>
  );
}

function PeriodPanel({ phase, state, live }: { phase: Phase | undefined; state: PeriodState<Period>; live: LiveStatus }) {
  const { t } = useI18n();
  const now = useNow(1000); // only this panel re-renders every second (the countdown)
  return (
    <>
      <PeriodStatus phase={phase} state={state} now={now} />
      <p className="hint live-status" data-testid="live-status" data-status={live}>
        {t(`doc.live.${live}`)}
      </p>
    </>
  );
}

function DocumentTools({ slug, group, document, sequence }: { slug: string; group: Group; document: Document; sequence: number }) {
  const { t } = useI18n();
  const [, navigate] = useLocation();
  const [chosen, setChosen] = useState(String(sequence));
  const base = `/groups/${slug}/documents/${document.id}`;
  const show = (event: FormEvent) => {
    event.preventDefault();
    navigate(`${base}/revisions/${chosen}`);
  };
  return (
    <div className="document-tools">
      {document.revisions.length > 1 ? (
        <form className="inline-form" onSubmit={show}>
          <div className="field">
            <label htmlFor="revision-choice">{t('doc.revision')}</label>
            <select id="revision-choice" value={chosen} onChange={(e) => setChosen(e.target.value)}>
              {document.revisions.map((r) => (
                <option key={r.id} value={r.sequence}>
                  {t('doc.revisionOf', { sequence: r.sequence, label: r.label })}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="secondary">
            {t('doc.show')}
          </button>
        </form>
      ) : null}
      <ul className="link-row">
        {sequence > 1 ? (
          <li>
            <Link href={`${base}/compare?from=${sequence - 1}&to=${sequence}`}>{t('doc.compareWithPrevious')}</Link>
          </li>
        ) : null}
        {group.abilities['revisions.post'] ? (
          <li>
            <Link href={`${base}/new-revision`}>{t('doc.postRevision')}</Link>
          </li>
        ) : null}
      </ul>
      <DocumentToolsSlot group={group} document={document} />
      <WordTools group={group} document={document} sequence={sequence} />
    </div>
  );
}
