// Writing a work item (conveners, the secretariat): the programme's columns, the editors chosen
// among the group's members with the affiliation A.1 prints for them, and the A.1 fields. The
// same form creates a work item and edits one; an edit sends the version it read, so a change made
// meanwhile by someone else is a 409 shown beside the button, with the typed text kept.
import '../../i18n/workprog/index.ts';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/endpoints.ts';
import { workprogApi, type WorkItem, type WorkItemFields } from '../../api/workprog-endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { fieldError, FormError } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { useResource } from '../../lib/use-resource.ts';
import { useWp } from './programme.tsx';

const PROCESSES = ['tap', 'aap', 'agreement'] as const;
const SHORT = [
  ['acronym', 'wp.field.acronym', 60],
  ['number', 'wp.field.number', 60],
  ['title', 'wp.col.title', 500],
  ['question', 'wp.field.question', 40],
  ['timing', 'wp.field.timing', 40],
] as const;
const LONG = [
  ['scope', 'wp.field.scope'],
  ['summary', 'wp.field.summary'],
  ['baseText', 'wp.field.baseText'],
  ['relations', 'wp.field.relations'],
  ['liaisons', 'wp.field.liaisons'],
  ['supportingMembers', 'wp.field.supporting'],
] as const;
type Text = (typeof SHORT)[number][0] | (typeof LONG)[number][0];
interface Editor {
  userId: string;
  name: string;
  affiliation: string;
}
interface Draft extends Record<Text, string> {
  approvalProcess: (typeof PROCESSES)[number];
  editors: Editor[];
}

const draftOf = (item?: WorkItem): Draft => ({
  acronym: item?.acronym ?? '',
  number: item?.number ?? '',
  title: item?.title ?? '',
  question: item?.question ?? '',
  timing: item?.timing ?? '',
  scope: item?.scope ?? '',
  summary: item?.summary ?? '',
  baseText: item?.baseText ?? '',
  relations: item?.relations ?? '',
  liaisons: item?.liaisons ?? '',
  supportingMembers: item?.supportingMembers ?? '',
  approvalProcess: item?.approvalProcess ?? 'tap',
  editors: item?.editors.map((e) => ({ userId: e.id, name: e.name, affiliation: e.affiliation })) ?? [],
});

export function WorkItemForm({ slug, item, onSaved, onCancel }: { slug: string; item?: WorkItem; onSaved: (item: WorkItem) => void; onCancel: () => void }) {
  const { w, t } = useWp();
  const announce = useAnnounce();
  const members = useResource(() => api.members(slug), [slug]);
  const [draft, setDraft] = useState(() => draftOf(item));
  const [pick, setPick] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const candidates = (members.data?.members ?? []).filter((m) => !draft.editors.some((e) => e.userId === m.userId));

  const addEditor = () => {
    const m = candidates.find((c) => c.userId === pick) ?? candidates[0];
    if (!m) return;
    set({ editors: [...draft.editors, { userId: m.userId, name: m.name, affiliation: m.affiliation }] });
    setPick('');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const { editors, approvalProcess, number, ...texts } = draft;
    const fields: WorkItemFields = {
      ...texts,
      number: number.trim() || null,
      editors: editors.map((x) => ({ userId: x.userId, ...(x.affiliation.trim() ? { affiliation: x.affiliation.trim() } : {}) })),
      approvalProcess,
    };
    try {
      const saved = item
        ? await workprogApi.updateWorkItem(slug, item.id, {
            ...fields,
            // The process is fixed once a text is determined: sent only when it changes.
            approvalProcess: approvalProcess === item.approvalProcess ? undefined : approvalProcess,
            expectedVersion: item.version,
          })
        : await workprogApi.createWorkItem(slug, fields);
      announce(item ? w('wp.form.saved') : w('wp.form.created', { name: saved.acronym }));
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const heading = item ? w('wp.form.editTitle') : w('wp.form.newTitle');
  return (
    <form className="panel work-item-form" onSubmit={submit} aria-label={heading}>
      <h2>{heading}</h2>
      {SHORT.map(([key, label, max]) => (
        <Field key={key} label={w(label)} error={fieldError(error, key, t)}>
          {(p) => (
            <input {...p} value={draft[key]} maxLength={max} required={key === 'acronym' || key === 'title'} onChange={(e) => set({ [key]: e.target.value })} />
          )}
        </Field>
      ))}
      <Field label={w('wp.field.process')} error={fieldError(error, 'approvalProcess', t)}>
        {(p) => (
          <select {...p} value={draft.approvalProcess} onChange={(e) => set({ approvalProcess: e.target.value as Draft['approvalProcess'] })}>
            {PROCESSES.map((x) => (
              <option key={x} value={x}>
                {w(`wp.process.${x}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset>
        <legend>{w('wp.field.editors')}</legend>
        {draft.editors.length === 0 ? <p className="hint">{w('wp.form.noEditors')}</p> : null}
        {draft.editors.map((ed, i) => (
          <div key={ed.userId} className="inline-form" data-testid="editor-row">
            <Field label={w('wp.form.editorAffiliation', { name: ed.name })} error={fieldError(error, `editors.${i}`, t)}>
              {(p) => (
                <input
                  {...p}
                  value={ed.affiliation}
                  maxLength={200}
                  onChange={(e) => set({ editors: draft.editors.map((x, j) => (j === i ? { ...x, affiliation: e.target.value } : x)) })}
                />
              )}
            </Field>{' '}
            <button type="button" className="secondary" onClick={() => set({ editors: draft.editors.filter((_, j) => j !== i) })}>
              {w('wp.form.removeEditor', { name: ed.name })}
            </button>
          </div>
        ))}
        {candidates.length ? (
          <div className="inline-form">
            <Field label={w('wp.form.addEditorLabel')}>
              {(p) => (
                <select {...p} value={pick} onChange={(e) => setPick(e.target.value)}>
                  {candidates.map((m) => (
                    <option key={m.userId} value={m.userId}>
                      {m.name}
                      {m.affiliation ? ` (${m.affiliation})` : ''}
                    </option>
                  ))}
                </select>
              )}
            </Field>{' '}
            <button type="button" className="secondary" onClick={addEditor}>
              {w('wp.form.addEditor')}
            </button>
          </div>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>{w('wp.a1')}</legend>
        {LONG.map(([key, label]) => (
          <Field key={key} label={w(label)} error={fieldError(error, key, t)}>
            {(p) => <textarea {...p} rows={3} value={draft[key]} maxLength={20_000} onChange={(e) => set({ [key]: e.target.value })} />}
          </Field>
        ))}
      </fieldset>
      <p>
        <button type="submit" disabled={busy}>
          {item ? w('wp.form.save') : w('wp.form.create')}
        </button>{' '}
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </p>
      <FormError error={error} fields={[...SHORT.map((s) => s[0]), ...LONG.map((s) => s[0]), 'approvalProcess', 'editors']} />
    </form>
  );
}
