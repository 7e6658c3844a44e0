// The adjudication board: the conveners' working pile (and the editors' drafts). Filters, the
// progress count, the comment list with its consultation status, one comment's detail with the
// decision form and assignment, bulk decisions on a selection, keyboard navigation (see the help
// dialog), and the other convener's decisions arriving live without touching what is typed here.
// The filters live in the address (?state=proposed&clause=7.1: shareable, and Back undoes one);
// the detail shows the clause as the commenter read it beside the comment, and on a wide screen
// the decision form has a column of its own so it stands in the window without scrolling.
import '../../i18n/adjudication/index.ts';
import './adjudication.css';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { adjudicationApi, type Disposition, type PileFilter, type PileItem, type Progress } from '../../api/adjudication-endpoints.ts';
import { docsApi, type Clause, type Document } from '../../api/document-endpoints.ts';
import { api, type Group, type Member } from '../../api/endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { errorMessage, LoadError, Loading } from '../../components/errors.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { boardCommand, isTypingTarget } from '../../lib/consultation.ts';
import { useDocumentLive } from '../../lib/live-document.ts';
import { useNow } from '../../lib/use-resource.ts';
import { useSession } from '../../session.tsx';
import { BulkBar } from './bulk-bar.tsx';
import { DecisionForm, draftFrom, type DecisionDraft, type FinaliseRequest } from './decision-form.tsx';
import { HelpDialog } from './help-dialog.tsx';
import { clauseLabel, codeLabel, ConsultationBadge, ConsultationStatus, DispositionSummary, statusLabel, typeLabel } from './shared.tsx';

interface Setup {
  group: Group;
  document: Document;
  members: Member[];
}
type Filters = Required<{ [K in 'state' | 'clause' | 'type' | 'affiliation' | 'assignee']: string }>;
const NO_FILTERS: Filters = { state: '', clause: '', type: '', affiliation: '', assignee: '' };

/** The filters as the address holds them (unknown parameters are left alone). */
function filtersOf(search: string): Filters {
  const params = new URLSearchParams(search);
  const f = { ...NO_FILTERS };
  for (const key of Object.keys(NO_FILTERS) as (keyof Filters)[]) f[key] = params.get(key) ?? '';
  return f;
}
function searchOf(search: string, filters: Filters): string {
  const params = new URLSearchParams(search);
  for (const key of Object.keys(NO_FILTERS) as (keyof Filters)[]) params.delete(key);
  const own = new URLSearchParams();
  for (const key of Object.keys(NO_FILTERS) as (keyof Filters)[]) if (filters[key]) own.set(key, filters[key]);
  const rest = params.toString();
  const text = [own.toString(), rest].filter(Boolean).join('&');
  return text ? `?${text}` : '';
}

export function BoardScreen({ slug, documentId }: { slug: string; documentId: string }) {
  const { t } = useI18n();
  const [setup, setSetup] = useState<{ data?: Setup; error?: unknown }>({});
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let live = true;
    Promise.all([api.group(slug), docsApi.document(slug, documentId), api.members(slug)]).then(
      ([group, document, members]) => {
        if (live) setSetup({ data: { group, document, members: members.members } });
      },
      (error: unknown) => {
        if (live) setSetup({ error });
      },
    );
    return () => {
      live = false;
    };
  }, [slug, documentId, generation]);
  if (!setup.data) {
    return (
      <div className="page">
        <PageHeading title={t('adj.tools.board')} />
        {setup.error ? <LoadError error={setup.error} onRetry={() => setGeneration((g) => g + 1)} /> : <Loading />}
      </div>
    );
  }
  return <Board slug={slug} setup={setup.data} />;
}

function Board({ slug, setup }: { slug: string; setup: Setup }) {
  const { t, tb } = useI18n();
  const announce = useAnnounce();
  const { user } = useSession();
  const { group, document, members } = setup;
  const documentId = document.id;
  const role = group.myRole === 'convener' ? 'convener' : group.myRole === 'editor' ? 'editor' : null;
  const now = useNow(30_000);

  // The whole pile (numbers, filter choices, progress) and, when filtered, the shown part.
  const [all, setAll] = useState<{ items: PileItem[]; progress: Progress } | null>(null);
  const [shownIds, setShownIds] = useState<string[] | null>(null);
  const [filteredProgress, setFilteredProgress] = useState<Progress | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const search = useSearch();
  const [location, navigate] = useLocation();
  const filters = useMemo(() => filtersOf(search), [search]);
  const setFilters = useCallback((next: Filters) => navigate(`${location}${searchOf(search, next)}`), [navigate, location, search]);
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [drafts, setDrafts] = useState<Record<string, DecisionDraft>>({});
  const [changedLive, setChangedLive] = useState<Record<string, string>>({});
  const [helpOpen, setHelpOpen] = useState(false);
  const listRef = useRef<HTMLUListElement>(null);
  const detailRef = useRef<HTMLElement>(null);
  const filtersRef = useRef<HTMLFormElement>(null);

  const activeFilter = useMemo(() => {
    const f: PileFilter = {};
    for (const [k, v] of Object.entries(filters)) if (v) (f as Record<string, string>)[k] = v;
    return f;
  }, [filters]);
  const filtered = Object.keys(activeFilter).length > 0;

  // Loads overlap (live events, writes, filter changes): only the latest one's answer is applied.
  const loadSeq = useRef(0);
  const load = useCallback(async () => {
    const seq = ++loadSeq.current;
    try {
      const [whole, part] = await Promise.all([
        adjudicationApi.pile(slug, documentId),
        filtered ? adjudicationApi.pile(slug, documentId, activeFilter) : Promise.resolve(null),
      ]);
      if (seq !== loadSeq.current) return;
      setAll({ items: whole.items, progress: whole.progress });
      setShownIds(part ? part.items.map((i) => i.comment.id) : null);
      setFilteredProgress(part ? part.filteredProgress : null);
      setLoadError(null);
    } catch (error) {
      if (seq === loadSeq.current) setLoadError(error);
    }
  }, [slug, documentId, activeFilter, filtered]);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    void load();
  }, [load]);

  const byId = useMemo(() => new Map((all?.items ?? []).map((i) => [i.comment.id, i])), [all]);
  const numberOf = useMemo(() => new Map((all?.items ?? []).map((i, n) => [i.comment.id, n + 1])), [all]);
  const shown = useMemo(() => (shownIds ? shownIds.map((id) => byId.get(id)).filter((i): i is PileItem => !!i) : (all?.items ?? [])), [shownIds, byId, all]);
  const current = (currentId ? shown.find((i) => i.comment.id === currentId) : undefined) ?? shown[0];

  // Live: another convener's decision reloads the pile (the socket carries the members' view,
  // without drafts and assignees); our own writes are already applied (same version: ignored).
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const scheduleReload = useCallback(() => {
    clearTimeout(reloadTimer.current);
    reloadTimer.current = setTimeout(() => void loadRef.current(), 200);
  }, []);
  useEffect(() => () => clearTimeout(reloadTimer.current), []);
  const known = useRef(byId);
  known.current = byId;
  const onEvent = useCallback(
    (name: string, data: unknown) => {
      if (!name.startsWith('dispositions.') && !name.startsWith('comments.')) return;
      if (name === 'comments.imported') announce(t('adj.board.imported', { count: (data as { comments: number }).comments }));
      if (name.startsWith('dispositions.')) {
        const d = (data as { disposition?: Disposition }).disposition;
        if (!d) return;
        const mine = known.current.get(d.commentId);
        if (mine && mine.disposition.version >= d.version) return;
        const by = d.finalisedBy ?? d.proposedBy;
        if (!by || by.id !== user?.id) {
          const who = by?.name ?? t('adj.board.changedLiveAnon');
          setChangedLive((c) => ({ ...c, [d.commentId]: who }));
          announce(
            t('adj.board.live', { count: 1, number: numberOf.get(d.commentId) ?? 0, status: `${codeLabel(t, d.disposition)}, ${statusLabel(t, d.status)}` }),
          );
        }
      }
      scheduleReload();
    },
    [user?.id, t, announce, numberOf, scheduleReload],
  );
  const liveStatus = useDocumentLive(documentId, { event: onEvent, refetch: scheduleReload });

  /** A write of ours: the item takes the new disposition, its draft restarts from it. */
  const applySaved = useCallback(
    (saved: Disposition) => {
      setAll((a) => a && { ...a, items: a.items.map((i) => (i.comment.id === saved.commentId ? { ...i, disposition: saved } : i)) });
      setDrafts((d) => ({ ...d, [saved.commentId]: draftFrom(saved) }));
      setChangedLive((c) => {
        const { [saved.commentId]: _, ...rest } = c;
        return rest;
      });
      scheduleReload(); // the progress count
    },
    [scheduleReload],
  );

  // Keyboard: moving focus between the comments of the list (roving tabindex).
  const rowFocusWanted = useRef(false);
  const focusRow = useCallback((id: string) => {
    setCurrentId(id);
    // Wanted even if the row is not in the document yet (a reload under way): the render that
    // brings it back focuses it.
    rowFocusWanted.current = true;
    const before = window.document.activeElement;
    requestAnimationFrame(() => {
      // Focus moved on meanwhile, out of the list (a question opened by the next key): it stays there.
      const now = window.document.activeElement;
      if (now && now !== before && now !== window.document.body && !listRef.current?.contains(now)) return;
      const row = listRef.current?.querySelector<HTMLButtonElement>(`[data-row="${CSS.escape(id)}"]`);
      row?.focus();
      row?.scrollIntoView({ block: 'nearest' });
    });
  }, []);
  // A live reload may re-render the list under a focused row (the row's element replaced): focus
  // falls to the page, and a keyboard user would start again from the top. Keep it on the row.
  useEffect(() => {
    const onFocusIn = (e: FocusEvent) => {
      rowFocusWanted.current = e.target instanceof Element && e.target.closest('[data-row]') !== null;
    };
    window.document.addEventListener('focusin', onFocusIn);
    return () => window.document.removeEventListener('focusin', onFocusIn);
  }, []);
  useEffect(() => {
    if (!rowFocusWanted.current || !current) return;
    const active = window.document.activeElement;
    if (active && active !== window.document.body) return;
    listRef.current?.querySelector<HTMLElement>(`[data-row="${CSS.escape(current.comment.id)}"]`)?.focus({ preventScroll: true });
  });
  const move = useCallback(
    (delta: number | 'first' | 'last') => {
      if (!shown.length) return;
      const at = current ? shown.indexOf(current) : -1;
      const next = delta === 'first' ? 0 : delta === 'last' ? shown.length - 1 : Math.min(shown.length - 1, Math.max(0, at + delta));
      focusRow(shown[next]!.comment.id);
    },
    [shown, current, focusRow],
  );
  const toggle = useCallback(
    (id: string) =>
      setSelected((s) => {
        const next = new Set(s);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  // The current comment's form is already rendered: focus its chosen disposition (or the first).
  const openForm = useCallback(() => {
    const form = detailRef.current;
    const target =
      form?.querySelector<HTMLInputElement>('.code-choice input:checked') ??
      form?.querySelector<HTMLInputElement>('.code-choice input') ??
      form?.querySelector<HTMLElement>('[data-testid="final-notice"]');
    if (target) {
      if (target.tagName === 'P') target.tabIndex = -1;
      target.focus();
    }
  }, []);
  // The current comment's form finalises (asking first when the commenter objected or may still
  // answer); it registers its request here while finalising is possible (a convener, proposed).
  const finaliseRef = useRef<FinaliseRequest | null>(null);
  const finaliseCurrent = useCallback((currentId: string | null) => {
    const active = window.document.activeElement;
    const opener = active instanceof HTMLElement ? active : null;
    // From the list (or from nowhere, a key pressed before the list had the focus back): the
    // focus returns to the current comment in the list, wherever the list re-renders meanwhile.
    const inForm = !!opener && opener !== window.document.body && !!detailRef.current?.contains(opener);
    const rowId = inForm ? null : (opener?.closest('[data-row]')?.getAttribute('data-row') ?? currentId);
    finaliseRef.current?.(opener, rowId ? () => focusRow(rowId) : undefined);
  }, [focusRow]);

  // One listener for the screen's life, reading what is current at key time (keys pressed in quick
  // succession must not meet a listener registered before the last render).
  const keys = useRef({ helpOpen, current, move, toggle, openForm, finaliseCurrent, focusRow });
  keys.current = { helpOpen, current, move, toggle, openForm, finaliseCurrent, focusRow };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { helpOpen, current, move, toggle, openForm, finaliseCurrent, focusRow } = keys.current;
      if (helpOpen) return; // the dialog handles its own keys
      const target = event.target as HTMLElement | null;
      const onRow = !!target?.closest?.('[data-row]');
      const command = boardCommand(event, { typing: isTypingTarget(target), onRow });
      if (!command) return;
      if (command === 'back') {
        // From the form, or from nowhere (a saved form's button gone): back to the comment in the list.
        const fromNowhere = !target || target === target.ownerDocument.body;
        if ((fromNowhere || detailRef.current?.contains(target)) && current) {
          event.preventDefault();
          focusRow(current.comment.id);
        }
        return;
      }
      event.preventDefault();
      switch (command) {
        case 'next':
          move(1);
          break;
        case 'previous':
          move(-1);
          break;
        case 'first':
          move('first');
          break;
        case 'last':
          move('last');
          break;
        case 'select':
          if (current) toggle(current.comment.id);
          break;
        case 'decide':
          openForm();
          break;
        case 'finalise':
          finaliseCurrent(current?.comment.id ?? null);
          break;
        case 'filters':
          filtersRef.current?.querySelector<HTMLSelectElement>('select')?.focus();
          break;
        case 'help':
          setHelpOpen(true);
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const clauses = useMemo(() => [...new Set((all?.items ?? []).map((i) => i.comment.clauseNumber ?? 'general'))], [all]);
  const affiliations = useMemo(() => [...new Set((all?.items ?? []).map((i) => i.comment.author.affiliation).filter(Boolean))].sort(), [all]);
  const staff = members.filter((m) => m.role === 'convener' || m.role === 'editor');
  const base = `/groups/${slug}/documents/${documentId}`;
  const setFilter = (key: keyof Filters, value: string) => {
    setFilters({ ...filters, [key]: value });
    setSelected(new Set());
  };
  // The clauses as the commenters read them: one revision fetched when a comment on it is shown.
  const [revisions, setRevisions] = useState<Record<number, Clause[] | 'loading'>>({});
  const currentRevision = current?.comment.revision;
  useEffect(() => {
    if (currentRevision === undefined || revisions[currentRevision]) return;
    setRevisions((r) => ({ ...r, [currentRevision]: 'loading' }));
    docsApi.revision(slug, documentId, currentRevision).then(
      (rev) => setRevisions((r) => ({ ...r, [currentRevision]: rev.clauses })),
      () => setRevisions((r) => ({ ...r, [currentRevision]: [] })),
    );
  }, [currentRevision, revisions, slug, documentId]);
  const clauseOf = (item: PileItem): Clause | null => {
    const clauses = revisions[item.comment.revision];
    if (!Array.isArray(clauses) || item.comment.clauseNumber === null) return null;
    return clauses.find((c) => c.number === item.comment.clauseNumber) ?? null;
  };

  if (!all) {
    return (
      <div className="page">
        <PageHeading title={t('adj.board.title', { title: document.title })}>{tb('adj.board.title', { title: document.title })}</PageHeading>
        {loadError ? <LoadError error={loadError} onRetry={() => void load()} /> : <Loading />}
      </div>
    );
  }
  const progress = all.progress;
  const draftOf = (item: PileItem) => drafts[item.comment.id] ?? draftFrom(item.disposition);
  const allShownSelected = shown.length > 0 && shown.every((i) => selected.has(i.comment.id));

  return (
    <div className="page board-page">
      <PageHeading title={t('adj.board.title', { title: document.title })}>{tb('adj.board.title', { title: document.title })}</PageHeading>
      <p className="hint subtitle">
        <Link href={base}>{t('adj.board.backToDocument')}</Link>
        {' · '}
        <Link href={`${base}/dispositions`}>{t('adj.tools.table')}</Link>
        {' · '}
        <button type="button" className="link-button" onClick={() => setHelpOpen(true)} aria-keyshortcuts="?">
          {t('adj.keys.open')} (?)
        </button>
      </p>
      <div className="board-status">
        <p className="progress-count" data-testid="progress" aria-live="polite">
          <strong>{t('adj.board.progress', { decided: progress.decided, total: progress.total, final: progress.final })}</strong>
          {filteredProgress ? (
            <span className="hint"> · {t('adj.board.filteredProgress', { decided: filteredProgress.decided, total: filteredProgress.total })}</span>
          ) : null}
        </p>
        <progress max={Math.max(progress.total, 1)} value={progress.decided} aria-label={t('adj.board.progressLabel')} />
        <p className="hint live-status" data-testid="live-status" data-status={liveStatus}>
          {t(`adj.board.status.${liveStatus}`)}
        </p>
      </div>
      {role === 'editor' ? <p className="hint">{t('adj.board.editorHint')}</p> : null}
      {!role ? <p className="hint">{t('adj.board.readOnlyOperator')}</p> : null}
      {loadError ? <LoadError error={loadError} onRetry={() => void load()} /> : null}

      <div className="board-layout">
        <div className="board-side">
          <form ref={filtersRef} className="panel board-filters" aria-labelledby="filters-title" onSubmit={(e: FormEvent) => e.preventDefault()}>
            <h2 id="filters-title" className="visually-hidden">
              {t('adj.filters.title')}
            </h2>
            <FilterSelect
              name="state"
              label={t('adj.filters.state')}
              value={filters.state}
              onChange={(v) => setFilter('state', v)}
              options={[
                ['undecided', t('adj.status.undecided')],
                ['draft', t('adj.status.draft')],
                ['proposed', t('adj.status.proposed')],
                ['objected', t('adj.filters.objected')],
                ['final', t('adj.status.final')],
              ]}
            />
            <FilterSelect
              name="clause"
              label={t('adj.filters.clause')}
              value={filters.clause}
              onChange={(v) => setFilter('clause', v)}
              options={clauses.map((c) => [c, c === 'general' ? t('adj.board.wholeDocument') : c])}
            />
            <FilterSelect
              name="type"
              label={t('adj.filters.type')}
              value={filters.type}
              onChange={(v) => setFilter('type', v)}
              options={(['general', 'technical', 'editorial'] as const).map((ty) => [ty, typeLabel(t, ty)])}
            />
            <FilterSelect
              name="affiliation"
              label={t('adj.filters.affiliation')}
              value={filters.affiliation}
              onChange={(v) => setFilter('affiliation', v)}
              options={affiliations.map((a) => [a, a])}
            />
            <FilterSelect
              name="assignee"
              label={t('adj.filters.assignee')}
              value={filters.assignee}
              onChange={(v) => setFilter('assignee', v)}
              options={[['me', t('adj.filters.me')], ['none', t('adj.filters.none')], ...staff.map((m): [string, string] => [m.userId, m.name])]}
            />
            {filtered ? (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setFilters(NO_FILTERS);
                  setSelected(new Set());
                }}
              >
                {t('adj.filters.clear')}
              </button>
            ) : null}
          </form>

          {role ? (
            <BulkBar
              slug={slug}
              documentId={documentId}
              role={role}
              staff={staff}
              selected={[...selected].map((id) => byId.get(id)).filter((i): i is PileItem => !!i)}
              numberOf={numberOf}
              onDone={() => {
                setSelected(new Set());
                void load();
              }}
              onClear={() => setSelected(new Set())}
            />
          ) : null}

          {all.items.length === 0 ? (
            <p>{t('adj.board.noComments')}</p>
          ) : (
            <section className="board-list" aria-labelledby="list-title">
              <div className="list-head">
                <h2 id="list-title">{t('adj.board.listLabel')}</h2>
                {role && shown.length ? (
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      checked={allShownSelected}
                      onChange={() => setSelected(allShownSelected ? new Set() : new Set(shown.map((i) => i.comment.id)))}
                    />{' '}
                    {t('adj.board.selectAll')}
                  </label>
                ) : null}
              </div>
              {shown.length === 0 ? (
                <p>{t('adj.board.empty')}</p>
              ) : (
                <ul ref={listRef} className="pile" data-testid="pile">
                  {shown.map((item) => {
                    const id = item.comment.id;
                    const n = numberOf.get(id) ?? 0;
                    const isCurrent = current?.comment.id === id;
                    return (
                      <li
                        key={id}
                        className={`pile-item${isCurrent ? ' is-current' : ''}`}
                        data-testid="pile-item"
                        data-comment-id={id}
                        data-status={item.disposition.status}
                      >
                        {role ? (
                          <input
                            type="checkbox"
                            className="pile-select"
                            checked={selected.has(id)}
                            onChange={() => toggle(id)}
                            aria-label={t('adj.board.select', { number: n })}
                          />
                        ) : null}
                        <button
                          type="button"
                          className="pile-row"
                          data-row={id}
                          tabIndex={isCurrent ? 0 : -1}
                          aria-current={isCurrent ? 'true' : undefined}
                          onClick={() => setCurrentId(id)}
                          onFocus={() => setCurrentId(id)}
                        >
                          <span className="pile-line">
                            <span className="pile-number">#{n}</span>
                            <span>{clauseLabel(t, item.comment.clauseNumber)}</span>
                            <span className={`badge type-${item.comment.type}`}>{typeLabel(t, item.comment.type)}</span>
                            <span className={`badge status-${item.disposition.status}`}>{statusLabel(t, item.disposition.status)}</span>
                            <ConsultationBadge disposition={item.disposition} now={now} />
                            {drafts[id]?.dirty ? <span className="badge unsaved">{t('adj.form.unsaved')}</span> : null}
                          </span>
                          <span className="pile-excerpt">
                            <bdi>{item.comment.author.name}</bdi> · <bdi>{excerpt(item.comment.body)}</bdi>
                          </span>
                          {item.disposition.disposition ? <span className="pile-code">{codeLabel(t, item.disposition.disposition)}</span> : null}
                          {changedLive[id] ? <span className="badge fresh">{tb('adj.board.changedLive', { name: changedLive[id] })}</span> : null}
                        </button>
                      </li>
                    );
                  })}
                </ul>
              )}
            </section>
          )}
        </div>
        {all.items.length === 0 ? null : (
          <section ref={detailRef} className="board-detail panel" aria-labelledby="detail-title" data-testid="detail">
            {current ? (
              <CommentDetail
                key={current.comment.id}
                slug={slug}
                documentId={documentId}
                item={current}
                clause={clauseOf(current)}
                number={numberOf.get(current.comment.id) ?? 0}
                role={role}
                staff={staff}
                now={now}
                draft={draftOf(current)}
                changedBy={changedLive[current.comment.id] ?? null}
                onDraft={(d) => setDrafts((all) => ({ ...all, [current.comment.id]: d }))}
                onSaved={applySaved}
                finaliseRef={finaliseRef}
              />
            ) : (
              <p id="detail-title">{t('adj.board.noneSelected')}</p>
            )}
          </section>
        )}
      </div>
      <HelpDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}

const excerpt = (text: string) => (text.length > 110 ? `${text.slice(0, 107)}…` : text);

function FilterSelect({
  name,
  label,
  value,
  onChange,
  options,
}: {
  name: keyof Filters;
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: [string, string][];
}) {
  const { t } = useI18n();
  const id = `filter-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('adj.filters.any')}</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

function CommentDetail(props: {
  slug: string;
  documentId: string;
  item: PileItem;
  clause: Clause | null;
  number: number;
  role: 'convener' | 'editor' | null;
  staff: Member[];
  now: number;
  draft: DecisionDraft;
  changedBy: string | null;
  onDraft: (d: DecisionDraft) => void;
  onSaved: (d: Disposition) => void;
  finaliseRef: { current: FinaliseRequest | null };
}) {
  const { t, tb } = useI18n();
  const { item, number, role } = props;
  const { comment, disposition } = item;
  return (
    <article data-comment-id={comment.id} className="detail-columns">
      <div className="detail-comment">
        <h2 id="detail-title">
          {t('adj.board.commentNumber', { number })} · {clauseLabel(t, comment.clauseNumber)}
          {comment.clauseHeading ? (
            <>
              {' '}
              <bdi className="hint">{comment.clauseHeading}</bdi>
            </>
          ) : null}
        </h2>
        <p className="hint">
          {tb('adj.detail.by', { name: comment.author.name, affiliation: comment.author.affiliation })} ·{' '}
          <span className={`badge type-${comment.type}`}>{typeLabel(t, comment.type)}</span>
        </p>
        {comment.quotedText ? (
          <blockquote className="comment-quote" aria-label={t('adj.detail.quoted')} dir="auto">
            <bdi>{comment.quotedText}</bdi>
          </blockquote>
        ) : null}
        {/* Sanitized by the server (comments are rendered from Markdown and cleaned on write). */}
        <div className="comment-body" dir="auto" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
        {comment.proposedChange ? (
          <div className="proposed-change">
            <h3>{t('adj.detail.proposedChange')}</h3>
            <p dir="auto">
              <bdi>{comment.proposedChange}</bdi>
            </p>
          </div>
        ) : null}
        {props.clause ? (
          <div className="detail-clause">
            <h3 id={`clause-title-${comment.id}`}>{t('adj.detail.clauseText', { number: props.clause.number, revision: comment.revision })}</h3>
            {/* Sanitized by the server when the revision was imported. A region of its own: long clauses scroll here. */}
            <div
              className="clause-body detail-clause-text"
              data-testid="detail-clause"
              dir="auto"
              role="region"
              aria-labelledby={`clause-title-${comment.id}`}
              tabIndex={0}
              dangerouslySetInnerHTML={{ __html: props.clause.html }}
            />
          </div>
        ) : null}
        <h3>{t('adj.detail.current')}</h3>
        <DispositionSummary disposition={disposition} />
        <h3>{t('adj.detail.consultation')}</h3>
        <ConsultationStatus disposition={disposition} now={props.now} />
        {role === 'convener' ? (
          <Assignment {...props} />
        ) : disposition.assignee ? (
          <p className="hint">
            {t('adj.detail.assignee')}: {disposition.assignee.name}
          </p>
        ) : null}
      </div>
      {role ? (
        <div className="detail-decision">
          <DecisionForm
            slug={props.slug}
            documentId={props.documentId}
            commentId={comment.id}
            number={number}
            disposition={disposition}
            draft={props.draft}
            role={role}
            changedBy={props.changedBy}
            onDraft={props.onDraft}
            onSaved={props.onSaved}
            finaliseRef={props.finaliseRef}
          />
        </div>
      ) : null}
    </article>
  );
}

function Assignment({
  slug,
  documentId,
  item,
  number,
  staff,
  onSaved,
}: {
  slug: string;
  documentId: string;
  item: PileItem;
  number: number;
  staff: Member[];
  onSaved: (d: Disposition) => void;
}) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [choice, setChoice] = useState(item.disposition.assignee?.id ?? '');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setChoice(item.disposition.assignee?.id ?? ''), [item.disposition.assignee?.id]);
  if (item.disposition.status === 'final')
    return item.disposition.assignee ? (
      <p className="hint">
        {t('adj.detail.assignee')}: {item.disposition.assignee.name}
      </p>
    ) : null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const saved = await adjudicationApi.assign(slug, documentId, item.comment.id, item.disposition.version, choice || null);
      onSaved(saved);
      announce(saved.assignee ? t('adj.detail.assigned', { number, name: saved.assignee.name }) : t('adj.detail.unassignedDone', { number }));
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <form className="inline-form assignment" onSubmit={submit}>
      <div className="field">
        <label htmlFor={`assignee-${item.comment.id}`}>{t('adj.detail.assignee')}</label>
        <select id={`assignee-${item.comment.id}`} value={choice} onChange={(e) => setChoice(e.target.value)}>
          <option value="">{t('adj.detail.unassigned')}</option>
          {staff.map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="secondary">
        {t('adj.detail.assign')}
      </button>
      {error ? (
        <p className="error" role="alert">
          {errorMessage(error, t)}
        </p>
      ) : null}
    </form>
  );
}
