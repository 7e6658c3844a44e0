// One change on a selection of comments (e.g. all editorial comments on clause 3 → accepted):
// all or nothing on the server; when it refuses, each comment's own reason is listed here.
import { useState, type FormEvent } from 'react';
import { adjudicationApi, DISPOSITION_CODES, type BulkAction, type BulkResult, type DispositionCode, type PileItem } from '../../api/adjudication-endpoints.ts';
import { ApiError } from '../../api/http.ts';
import type { Member } from '../../api/endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { errorBodyMessage, fieldError, FormError } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { isoFromLocal } from './decision-form.tsx';
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
  if (!selected.length) return null;
  const kinds: Kind[] = role === 'convener' ? ['decide', 'assign', 'set_deadline', 'finalise'] : ['decide'];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
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
        selected.map((i) => ({ commentId: i.comment.id, expectedVersion: i.disposition.version })),
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
      <div className="actions">
        <button type="submit" disabled={busy}>
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
