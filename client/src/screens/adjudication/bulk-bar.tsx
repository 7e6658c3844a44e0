// One change on a selection of comments (e.g. all editorial comments on clause 3 → accepted):
// all or nothing on the server; when it refuses, each comment's own reason is listed here.
// Finalising closes the consultation with the commenters, so a selection holding proposals still
// awaiting an answer or objected to is confirmed first, with those counts, and can leave them out.
import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { adjudicationApi, DISPOSITION_CODES, type BulkAction, type BulkResult, type DispositionCode, type PileItem } from '../../api/adjudication-endpoints.ts';
import { ApiError } from '../../api/http.ts';
import type { Member } from '../../api/endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { errorBodyMessage, fieldError, FormError } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { isoFromLocal } from './decision-form.tsx';
import { consultationOf } from '../../lib/consultation.ts';
import { codeLabel } from './shared.tsx';

type Kind = BulkAction['kind'];

export function BulkBar({
  slug,
  documentId,
  role,
  staff,
  selected,
  numberOf,
  onDone,
  onClear,
}: {
  slug: string;
  documentId: string;
  role: 'convener' | 'editor';
  staff: Member[];
  selected: PileItem[];
  numberOf: Map<string, number>;
  onDone: () => void;
  onClear: () => void;
}) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [kind, setKind] = useState<Kind>('decide');
  const [code, setCode] = useState<DispositionCode>('accepted');
  const [rationale, setRationale] = useState('');
  const [assignee, setAssignee] = useState('');
  const [respondBy, setRespondBy] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [failures, setFailures] = useState<{ commentId: string; message: string }[]>([]);
  const [busy, setBusy] = useState(false);
  /** Finalising a selection with unanswered or objected proposals waits for this confirmation. */
  const [confirming, setConfirming] = useState<{ awaiting: PileItem[]; objected: PileItem[] } | null>(null);
  const confirmRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  const selectionKey = selected.map((i) => `${i.comment.id}:${i.disposition.version}`).join(',');
  // A changed selection (or a decision arriving live) asks again, with the new counts.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the selection
  useEffect(() => setConfirming(null), [selectionKey, kind]);
  if (!selected.length) return null;
  const kinds: Kind[] = role === 'convener' ? ['decide', 'assign', 'set_deadline', 'finalise'] : ['decide'];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (kind === 'finalise') {
      const now = Date.now();
      const awaiting = selected.filter((i) => consultationOf(i.disposition, now) === 'awaiting');
      const objected = selected.filter((i) => consultationOf(i.disposition, now) === 'objected');
      if (awaiting.length + objected.length > 0) {
        setConfirming({ awaiting, objected });
        return;
      }
    }
    void apply(selected);
  };

  const apply = async (items: PileItem[]) => {
    setConfirming(null);
    setError(null);
    setFailures([]);
    const action: BulkAction =
      kind === 'decide'
        ? { kind, disposition: code, rationale }
        : kind === 'assign'
          ? { kind, assigneeId: assignee || null }
          : kind === 'set_deadline'
            ? { kind, respondBy: isoFromLocal(respondBy) ?? '' }
            : { kind: 'finalise' };
    setBusy(true);
    try {
      const result = await adjudicationApi.bulk(
        slug,
        documentId,
        items.map((i) => ({ commentId: i.comment.id, expectedVersion: i.disposition.version })),
        action,
      );
      announce(t('adj.bulk.done', { count: result.results.length }));
      setRationale('');
      onDone();
    } catch (caught) {
      const results = caught instanceof ApiError ? (caught.body as Partial<BulkResult> | null)?.results : undefined;
      const failed = (results ?? [])
        .filter((r) => r.code && r.code !== 'not_applied')
        .map((r) => ({ commentId: r.commentId, message: errorBodyMessage({ ...r, code: r.code ?? '' }, t) }));
      if (failed.length) {
        setFailures(failed);
        announce(t('adj.bulk.failed', { count: failed.length }));
      } else setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel bulk-bar" aria-labelledby="bulk-title" onSubmit={submit} data-testid="bulk-bar">
      <h2 id="bulk-title">
        {t('adj.bulk.title')}: <span data-testid="selected-count">{t('adj.bulk.selected', { count: selected.length })}</span>
      </h2>
      <div className="bulk-fields">
        <div className="field">
          <label htmlFor="bulk-kind">{t('adj.bulk.action')}</label>
          <select id="bulk-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {t(
                  k === 'decide' ? 'adj.bulk.decide' : k === 'assign' ? 'adj.bulk.assign' : k === 'set_deadline' ? 'adj.bulk.setDeadline' : 'adj.bulk.finalise',
                )}
              </option>
            ))}
          </select>
        </div>
        {kind === 'decide' ? (
          <>
            <div className="field">
              <label htmlFor="bulk-code">{t('adj.form.disposition')}</label>
              <select id="bulk-code" value={code} onChange={(e) => setCode(e.target.value as DispositionCode)}>
                {DISPOSITION_CODES.map((c) => (
                  <option key={c} value={c}>
                    {codeLabel(t, c)}
                  </option>
                ))}
              </select>
            </div>
            <Field label={t('adj.form.rationale')} hint={t('adj.form.rationaleHint')} error={fieldError(error, 'action.rationale', t)}>
              {(p) => <input {...p} type="text" name="bulk-rationale" dir="auto" value={rationale} onChange={(e) => setRationale(e.target.value)} />}
            </Field>
          </>
        ) : null}
        {kind === 'assign' ? (
          <div className="field">
            <label htmlFor="bulk-assignee">{t('adj.detail.assignee')}</label>
            <select id="bulk-assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
              <option value="">{t('adj.detail.unassigned')}</option>
              {staff.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        {kind === 'set_deadline' ? (
          <Field label={t('adj.form.respondBy')} error={fieldError(error, 'action.respondBy', t)}>
            {(p) => <input {...p} type="datetime-local" required value={respondBy} onChange={(e) => setRespondBy(e.target.value)} />}
          </Field>
        ) : null}
      </div>
      {confirming ? (
        <FinaliseConfirmation
          headingRef={confirmRef}
          selected={selected}
          awaiting={confirming.awaiting}
          objected={confirming.objected}
          onExclude={(others) => void apply(others)}
          onAll={() => void apply(selected)}
          onCancel={() => setConfirming(null)}
        />
      ) : null}
      <div className="actions">
        <button type="submit" disabled={busy || !!confirming}>
          {t('adj.bulk.apply')}
        </button>
        <button type="button" className="secondary" onClick={onClear}>
          {t('adj.bulk.clear')}
        </button>
      </div>
      {failures.length ? (
        <div role="alert" className="bulk-failures">
          <p className="error">{t('adj.bulk.failed', { count: failures.length })}</p>
          <ul>
            {failures.map((f) => (
              <li key={f.commentId} className="error">
                {t('adj.bulk.itemFailed', { number: numberOf.get(f.commentId) ?? 0, message: f.message })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <FormError error={error} fields={['action.rationale', 'action.respondBy']} />
    </form>
  );
}

function FinaliseConfirmation({
  headingRef,
  selected,
  awaiting,
  objected,
  onExclude,
  onAll,
  onCancel,
}: {
  headingRef: RefObject<HTMLHeadingElement | null>;
  selected: PileItem[];
  awaiting: PileItem[];
  objected: PileItem[];
  onExclude: (others: PileItem[]) => void;
  onAll: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const held = new Set([...awaiting, ...objected].map((i) => i.comment.id));
  const others = selected.filter((i) => !held.has(i.comment.id));
  return (
    <section className="notice finalise-confirm" aria-labelledby="finalise-confirm-title" data-testid="finalise-confirm">
      <h3 id="finalise-confirm-title" ref={headingRef} tabIndex={-1}>
        {t('adj.bulk.confirm.title', { count: selected.length })}
      </h3>
      <ul>
        {awaiting.length ? <li>{t('adj.bulk.confirm.awaiting', { count: awaiting.length })}</li> : null}
        {objected.length ? <li>{t('adj.bulk.confirm.objected', { count: objected.length })}</li> : null}
      </ul>
      <p>{t('adj.bulk.confirm.record')}</p>
      <div className="actions">
        {others.length ? (
          <button type="button" onClick={() => onExclude(others)}>
            {t('adj.bulk.confirm.exclude', { count: others.length })}
          </button>
        ) : null}
        <button type="button" className={others.length ? 'secondary' : undefined} onClick={onAll}>
          {t('adj.bulk.confirm.all', { count: selected.length })}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('adj.bulk.confirm.cancel')}
        </button>
      </div>
    </section>
  );
}
