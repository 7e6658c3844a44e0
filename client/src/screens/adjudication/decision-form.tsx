// The decision on one comment: disposition, rationale (required except for accepted), adopted
// text and the commenter's response deadline. What is typed lives in the board's state, keyed by
// comment, so live updates and moving through the list never lose it. The form remembers the
// version it was started from: if someone else decided meanwhile, saving meets the server's 409
// and the conflict panel shows their disposition with a way to reapply this one.
// Finalising ends the consultation with the commenter: when they objected or have not answered, the
// form asks first (as the bulk bar does) and the server records it; while their response deadline
// has not passed the server refuses (response_window_open), so the form says until when instead.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  adjudicationApi,
  conflictCurrent,
  DISPOSITION_CODES,
  type Decision,
  type Disposition,
  type DispositionCode,
} from '../../api/adjudication-endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { fieldError, FormError } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { instantText } from '../../components/instant.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { consultationOf } from '../../lib/consultation.ts';
import { codeLabel, DispositionSummary } from './shared.tsx';

export interface DecisionDraft {
  code: DispositionCode | '';
  rationale: string;
  adoptedText: string;
  /** datetime-local value, in the viewer's zone. */
  respondBy: string;
  /** The disposition version this draft starts from (sent as expectedVersion). */
  baseVersion: number;
  dirty: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** An ISO instant as a datetime-local value in the viewer's zone. */
export function localInputValue(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export const isoFromLocal = (value: string): string | undefined => (value ? new Date(value).toISOString() : undefined);

export function draftFrom(d: Disposition): DecisionDraft {
  return {
    code: (d.disposition ?? '') as DispositionCode | '',
    rationale: d.rationale,
    adoptedText: d.adoptedText,
    respondBy: localInputValue(d.respondBy),
    baseVersion: d.version,
    dirty: false,
  };
}

export interface DecisionFormProps {
  slug: string;
  documentId: string;
  commentId: string;
  number: number;
  disposition: Disposition;
  draft: DecisionDraft;
  role: 'convener' | 'editor';
  /** The name of whoever changed the disposition live while this draft was being typed. */
  changedBy: string | null;
  onDraft: (draft: DecisionDraft) => void;
  /** A saved disposition: the board replaces the item and resets the draft from it. */
  onSaved: (disposition: Disposition) => void;
  /** Where the form puts its finalise request (with the element to give the focus back to) for the board's `f` key. */
  finaliseRef?: { current: FinaliseRequest | null };
}
/** `backToRow` gives the focus back to the comment in the list, even if the list re-renders meanwhile. */
export type FinaliseRequest = (opener: HTMLElement | null, backToRow?: () => void) => void;

export function DecisionForm(props: DecisionFormProps) {
  const { t, tb, locale } = useI18n();
  const announce = useAnnounce();
  const { slug, documentId, commentId, number, disposition, draft, role } = props;
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState<Disposition | null>(null);
  const [busy, setBusy] = useState(false);
  const [rationaleMissing, setRationaleMissing] = useState(false);
  const final = disposition.status === 'final';
  const set = (patch: Partial<DecisionDraft>) => props.onDraft({ ...draft, ...patch, dirty: true });

  const save = async (expectedVersion: number) => {
    if (!draft.code) return;
    // The server says the same (400); saying it before the round trip keeps the focus here.
    if (draft.code !== 'accepted' && !draft.rationale.trim()) {
      setRationaleMissing(true);
      return;
    }
    setRationaleMissing(false);
    setBusy(true);
    setError(null);
    try {
      const decision: Decision = { disposition: draft.code, rationale: draft.rationale, adoptedText: draft.adoptedText };
      const respondBy = role === 'convener' ? isoFromLocal(draft.respondBy) : undefined;
      if (respondBy && respondBy !== disposition.respondBy) decision.respondBy = respondBy;
      const saved = await adjudicationApi.decide(slug, documentId, commentId, expectedVersion, decision);
      setConflict(null);
      props.onSaved(saved);
      announce(role === 'convener' ? t('adj.form.proposed', { number, code: codeLabel(t, saved.disposition) }) : t('adj.form.drafted', { number }));
    } catch (caught) {
      const current = conflictCurrent(caught);
      if (current) setConflict(current);
      else setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(draft.baseVersion);
  };

  const transition = async (kind: 'confirm' | 'finalise') => {
    setBusy(true);
    setError(null);
    try {
      const saved =
        kind === 'confirm'
          ? await adjudicationApi.confirm(slug, documentId, commentId, disposition.version, isoFromLocal(draft.respondBy))
          : await adjudicationApi.finalise(slug, documentId, commentId, disposition.version);
      props.onSaved(saved);
      announce(t(kind === 'confirm' ? 'adj.form.confirmed' : 'adj.form.finalised', { number }));
    } catch (caught) {
      const current = conflictCurrent(caught);
      if (current) setConflict(current);
      else setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const [asking, setAsking] = useState<{
    reason: 'objected' | 'awaiting' | 'window_open';
    opener: HTMLElement | null;
    backToRow?: (() => void) | undefined;
  } | null>(null);
  const askRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (asking) askRef.current?.focus();
  }, [asking]);
  const giveFocusBack = (open: { opener: HTMLElement | null; backToRow?: (() => void) | undefined }) => {
    if (open.backToRow) open.backToRow();
    else if (open.opener?.isConnected) open.opener.focus();
  };
  const stopAsking = (open: { opener: HTMLElement | null; backToRow?: (() => void) | undefined }) => {
    setAsking(null);
    giveFocusBack(open);
  };
  const requestFinalise: FinaliseRequest = (opener, backToRow) => {
    const state = consultationOf(disposition, Date.now());
    if (state === 'awaiting' && disposition.respondBy) setAsking({ reason: 'window_open', opener, backToRow });
    else if (state === 'objected' || state === 'awaiting') setAsking({ reason: state, opener, backToRow });
    else void transition('finalise');
  };
  // An answer or a decision arriving live changes the question: it is asked again from the new state.
  const askingRef = useRef(asking);
  askingRef.current = asking;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the version stands for the disposition
  useEffect(() => {
    const open = askingRef.current;
    if (!open) return;
    setAsking(null);
    giveFocusBack(open);
  }, [disposition.version]);
  const canFinalise = role === 'convener' && disposition.status === 'proposed';
  const requestRef = useRef(requestFinalise);
  requestRef.current = requestFinalise;
  const finaliseRef = props.finaliseRef;
  useEffect(() => {
    if (!finaliseRef || !canFinalise) return;
    const request: FinaliseRequest = (opener, backToRow) => requestRef.current(opener, backToRow);
    finaliseRef.current = request;
    return () => {
      if (finaliseRef.current === request) finaliseRef.current = null;
    };
  }, [finaliseRef, canFinalise]);

  if (final)
    return (
      <p className="notice" data-testid="final-notice">
        {t('adj.form.final')}
      </p>
    );
  const rationaleError = rationaleMissing ? t('adj.form.rationaleRequired') : fieldError(error, 'rationale', t);
  return (
    <form className="decision-form" onSubmit={submit} aria-labelledby={`decision-title-${commentId}`} data-testid="decision-form">
      <h3 id={`decision-title-${commentId}`}>
        {t('adj.form.title')}
        {draft.dirty ? <span className="badge unsaved"> {t('adj.form.unsaved')}</span> : null}
      </h3>
      {props.changedBy && draft.dirty && !conflict ? (
        <p className="notice" role="status" data-testid="changed-under-you">
          {tb('adj.form.changedUnderYou', { name: props.changedBy })}
        </p>
      ) : null}
      {conflict ? (
        <div className="conflict" role="alert" data-testid="conflict">
          <h4>{t('adj.conflict.title')}</h4>
          <p>{t('adj.conflict.text')}</p>
          <DispositionSummary disposition={conflict} />
          <div className="actions">
            <button type="button" disabled={busy || conflict.status === 'final'} onClick={() => void save(conflict.version)}>
              {t('adj.conflict.reapply')}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                props.onSaved(conflict);
                setConflict(null);
                announce(t('adj.conflict.kept', { number }));
              }}
            >
              {t('adj.conflict.discard')}
            </button>
          </div>
        </div>
      ) : null}
      <fieldset className="code-choice" aria-describedby={fieldError(error, 'disposition', t) ? `code-error-${commentId}` : undefined}>
        <legend>{t('adj.form.disposition')}</legend>
        {DISPOSITION_CODES.map((code, index) => (
          <label key={code} className="radio">
            <input
              type="radio"
              name={`code-${commentId}`}
              value={code}
              checked={draft.code === code}
              data-first={index === 0 ? 'true' : undefined}
              onChange={() => set({ code })}
            />{' '}
            {codeLabel(t, code)}
          </label>
        ))}
        {fieldError(error, 'disposition', t) ? (
          <p className="error field-error" id={`code-error-${commentId}`}>
            {fieldError(error, 'disposition', t)}
          </p>
        ) : null}
      </fieldset>
      <Field label={t('adj.form.rationale')} hint={t('adj.form.rationaleHint')} error={rationaleError}>
        {(p) => <textarea {...p} name="rationale" rows={3} dir="auto" value={draft.rationale} onChange={(e) => set({ rationale: e.target.value })} />}
      </Field>
      <Field label={t('adj.form.adoptedText')} error={fieldError(error, 'adoptedText', t)}>
        {(p) => <textarea {...p} name="adoptedText" rows={2} dir="auto" value={draft.adoptedText} onChange={(e) => set({ adoptedText: e.target.value })} />}
      </Field>
      {role === 'convener' ? (
        <Field label={t('adj.form.respondBy')} hint={t('adj.form.respondByHint')} error={fieldError(error, 'respondBy', t)}>
          {(p) => <input {...p} type="datetime-local" name="respondBy" value={draft.respondBy} onChange={(e) => set({ respondBy: e.target.value })} />}
        </Field>
      ) : null}
      {asking ? (
        <section
          className="notice finalise-confirm"
          aria-labelledby={`finalise-one-title-${commentId}`}
          data-testid="finalise-one-confirm"
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return;
            // Handled here: the board's own Escape (back to the list) must not also run.
            event.preventDefault();
            event.stopPropagation();
            stopAsking(asking);
          }}
        >
          <h4 id={`finalise-one-title-${commentId}`} ref={askRef} tabIndex={-1}>
            {t(asking.reason === 'window_open' ? 'adj.finaliseOne.notYet' : 'adj.finaliseOne.title', { number })}
          </h4>
          {asking.reason === 'window_open' ? (
            <p>{t('adj.finaliseOne.windowOpen', { deadline: instantText(t, locale, disposition.respondBy ?? '') })}</p>
          ) : (
            <>
              <p>{t(asking.reason === 'objected' ? 'adj.finaliseOne.objected' : 'adj.finaliseOne.awaiting')}</p>
              <p>{t(asking.reason === 'objected' ? 'adj.finaliseOne.recordObjection' : 'adj.finaliseOne.recordPending')}</p>
            </>
          )}
          <div className="actions">
            {asking.reason === 'window_open' ? null : (
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  // Back where the question came from (the comment in the list, for the `f` key), after
                  // the save: the board keeps it there across the reload the save causes.
                  const open = asking;
                  setAsking(null);
                  void transition('finalise').then(() => giveFocusBack(open));
                }}
              >
                {t('adj.finaliseOne.anyway')}
              </button>
            )}
            <button type="button" className="secondary" onClick={() => stopAsking(asking)}>
              {t(asking.reason === 'window_open' ? 'adj.finaliseOne.close' : 'adj.finaliseOne.cancel')}
            </button>
          </div>
        </section>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={busy || !draft.code}>
          {t(role === 'convener' ? 'adj.form.propose' : 'adj.form.saveDraft')}
        </button>
        {role === 'convener' && disposition.status === 'draft' ? (
          <button type="button" className="secondary" disabled={busy} onClick={() => void transition('confirm')}>
            {t('adj.form.confirm')}
          </button>
        ) : null}
        {canFinalise ? (
          <button type="button" className="secondary" disabled={busy} onClick={(event) => requestFinalise(event.currentTarget)} data-testid="finalise">
            {t('adj.form.finalise')}
          </button>
        ) : null}
      </div>
      <FormError error={error} fields={['disposition', 'rationale', 'adoptedText', 'respondBy']} />
    </form>
  );
}
