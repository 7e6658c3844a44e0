// Issuing a Member State consultation (conveners, the secretariat): the circular's reference,
// date, subject, the drafts it covers (work items determined or consented, or already under
// consultation), the deadline, the threshold and the rule's text, and the Administrations invited
// with their focal points. The Administrations editor also invites more of them later, from the
// consultation's page. Focal points are typed one per line as "Name <address>", as a mail client
// shows them, so a secretariat can paste its list.
import '../../i18n/workprog/index.ts';
import { useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { workprogApi, type AdministrationFields, type Consultation } from '../../api/workprog-endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { fieldError, FormError, Loading } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { Instant } from '../../components/instant.tsx';
import { useResource } from '../../lib/use-resource.ts';
import { useWp } from './programme.tsx';

const ELIGIBLE = new Set(['determined', 'consented', 'consultation']);
const DEFAULT_RULE =
  'If 70 % or more of the replies from Member States support consideration for approval, one plenary session will apply the approval procedure.';

interface AdministrationDraft {
  code: string;
  name: string;
  focalPoints: string;
}
const EMPTY_ADMINISTRATION: AdministrationDraft = { code: '', name: '', focalPoints: '' };

/** "Name <address>" per line; a line that does not parse is returned as an error (its 1-based number). */
export function parseFocalPoints(text: string): { focalPoints: { name: string; email: string }[]; badLine: number | null } {
  const focalPoints: { name: string; email: string }[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(.+?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(line);
    if (!m) return { focalPoints, badLine: i + 1 };
    focalPoints.push({ name: m[1]!.replace(/^"|"$/g, '').trim(), email: m[2]! });
  }
  return { focalPoints, badLine: null };
}

function toAdministrations(drafts: AdministrationDraft[]): { administrations: AdministrationFields[]; problem: { index: number; line: number } | null } {
  const administrations: AdministrationFields[] = [];
  for (const [index, d] of drafts.entries()) {
    if (!d.code.trim() && !d.name.trim() && !d.focalPoints.trim()) continue;
    const { focalPoints, badLine } = parseFocalPoints(d.focalPoints);
    if (badLine !== null) return { administrations, problem: { index, line: badLine } };
    administrations.push({ code: d.code.trim().toUpperCase(), name: d.name.trim(), focalPoints });
  }
  return { administrations, problem: null };
}

function AdministrationsEditor({ value, onChange, error }: { value: AdministrationDraft[]; onChange: (v: AdministrationDraft[]) => void; error: unknown }) {
  const { w, t } = useWp();
  const set = (i: number, patch: Partial<AdministrationDraft>) => onChange(value.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  return (
    <fieldset>
      <legend>{w('cons.form.administrations')}</legend>
      <p className="hint">{w('cons.form.administrationsHint')}</p>
      {value.map((a, i) => (
        <fieldset key={i} data-testid="administration">
          <legend>{w('cons.form.administration', { number: i + 1 })}</legend>
          <Field label={w('cons.form.code')} hint={w('cons.form.codeHint')} error={fieldError(error, `administrations.${i}.code`, t)}>
            {(p) => <input {...p} value={a.code} maxLength={3} size={4} onChange={(e) => set(i, { code: e.target.value })} />}
          </Field>
          <Field label={w('cons.form.name')} error={fieldError(error, `administrations.${i}.name`, t)}>
            {(p) => <input {...p} value={a.name} maxLength={200} onChange={(e) => set(i, { name: e.target.value })} />}
          </Field>
          <Field label={w('cons.form.focalPoints')} hint={w('cons.form.focalPointsHint')} error={fieldError(error, `administrations.${i}.focalPoints`, t)}>
            {(p) => <textarea {...p} rows={2} value={a.focalPoints} onChange={(e) => set(i, { focalPoints: e.target.value })} />}
          </Field>
          {value.length > 1 ? (
            <button type="button" className="secondary" onClick={() => onChange(value.filter((_, j) => j !== i))}>
              {w('cons.form.removeAdministration', { number: i + 1 })}
            </button>
          ) : null}
        </fieldset>
      ))}
      <button type="button" className="secondary" onClick={() => onChange([...value, EMPTY_ADMINISTRATION])}>
        {w('cons.form.addAdministration')}
      </button>
    </fieldset>
  );
}

const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

export function IssueConsultationForm({ slug, preselected, onCancel }: { slug: string; preselected?: string; onCancel: () => void }) {
  const { w, t } = useWp();
  const announce = useAnnounce();
  const [, navigate] = useLocation();
  const items = useResource(() => workprogApi.workItems(slug, {}), [slug]);
  const eligible = (items.data?.workItems ?? []).filter((i) => ELIGIBLE.has(i.status));
  const [reference, setReference] = useState('');
  const [issuedOn, setIssuedOn] = useState(() => new Date().toISOString().slice(0, 10));
  const [subject, setSubject] = useState('');
  const [chosen, setChosen] = useState<string[]>(preselected ? [preselected] : []);
  const [deadline, setDeadline] = useState(() => localInput(new Date(Date.now() + 60 * 86_400_000)));
  const [threshold, setThreshold] = useState('70');
  const [ruleText, setRuleText] = useState(DEFAULT_RULE);
  const [administrations, setAdministrations] = useState<AdministrationDraft[]>([EMPTY_ADMINISTRATION]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const deadlineAt = deadline ? new Date(deadline) : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const { administrations: list, problem } = toAdministrations(administrations);
    if (problem) {
      setError(new Error(w('cons.form.badFocalPoint', { number: problem.index + 1, line: problem.line })));
      return;
    }
    if (!chosen.length) {
      setError(new Error(w('cons.form.chooseDrafts')));
      return;
    }
    if (!deadlineAt || Number.isNaN(deadlineAt.getTime())) {
      setError(new Error(w('cons.form.badDeadline')));
      return;
    }
    setBusy(true);
    try {
      // Drafts in the programme's order, as the circular lists them.
      const workItemIds = eligible.map((i) => i.id).filter((id) => chosen.includes(id));
      const created = await workprogApi.createConsultation(slug, {
        reference,
        issuedOn,
        subject,
        ruleText,
        deadline: deadlineAt.toISOString(),
        thresholdPercent: Number(threshold),
        workItemIds,
        ...(list.length ? { administrations: list } : {}),
      });
      announce(w('cons.form.issued', { reference: created.reference }));
      navigate(`/groups/${slug}/consultations/${created.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form className="panel consultation-form" onSubmit={submit} aria-label={w('cons.form.issueTitle')}>
      <h2>{w('cons.form.issueTitle')}</h2>
      <Field label={w('cons.form.reference')} hint={w('cons.form.referenceHint')} error={fieldError(error, 'reference', t)}>
        {(p) => <input {...p} value={reference} required maxLength={120} onChange={(e) => setReference(e.target.value)} />}
      </Field>
      <Field label={w('cons.form.issuedOn')} error={fieldError(error, 'issuedOn', t)}>
        {(p) => <input {...p} type="date" value={issuedOn} required onChange={(e) => setIssuedOn(e.target.value)} />}
      </Field>
      <Field label={w('cons.form.subject')} error={fieldError(error, 'subject', t)}>
        {(p) => <textarea {...p} rows={2} value={subject} required maxLength={2000} onChange={(e) => setSubject(e.target.value)} />}
      </Field>
      <fieldset aria-describedby="drafts-hint">
        <legend>{w('cons.drafts')}</legend>
        <p className="hint" id="drafts-hint">
          {w('cons.form.draftsHint')}
        </p>
        {!items.data ? <Loading /> : eligible.length === 0 ? <p>{w('cons.form.noEligible')}</p> : null}
        {eligible.map((i) => (
          <label key={i.id} className="choice">
            <input
              type="checkbox"
              checked={chosen.includes(i.id)}
              onChange={(e) => setChosen(e.target.checked ? [...chosen, i.id] : chosen.filter((x) => x !== i.id))}
            />{' '}
            <bdi>{i.number ? `${i.number} (${i.acronym})` : i.acronym}</bdi> – <bdi>{i.title}</bdi>
          </label>
        ))}
        {fieldError(error, 'workItemIds', t) ? <p className="error field-error">{fieldError(error, 'workItemIds', t)}</p> : null}
      </fieldset>
      <Field
        label={w('cons.form.deadline')}
        hint={deadlineAt && !Number.isNaN(deadlineAt.getTime()) ? <Instant iso={deadlineAt.toISOString()} /> : undefined}
        error={fieldError(error, 'deadline', t)}
      >
        {(p) => <input {...p} type="datetime-local" value={deadline} required onChange={(e) => setDeadline(e.target.value)} />}
      </Field>
      <Field label={w('cons.form.threshold')} error={fieldError(error, 'thresholdPercent', t)}>
        {(p) => <input {...p} type="number" min={0} max={100} step={1} value={threshold} required onChange={(e) => setThreshold(e.target.value)} />}
      </Field>
      <Field label={w('cons.form.rule')} error={fieldError(error, 'ruleText', t)}>
        {(p) => <textarea {...p} rows={3} value={ruleText} maxLength={4000} onChange={(e) => setRuleText(e.target.value)} />}
      </Field>
      <AdministrationsEditor value={administrations} onChange={setAdministrations} error={error} />
      <p>
        <button type="submit" disabled={busy}>
          {w('cons.form.issue')}
        </button>{' '}
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </p>
      <FormError error={error} fields={['reference', 'issuedOn', 'subject', 'workItemIds', 'deadline', 'thresholdPercent', 'ruleText', 'administrations']} />
    </form>
  );
}

/** More Administrations for a consultation already issued (before its deadline). */
export function InviteAdministrationsForm({ slug, consultation, onSaved }: { slug: string; consultation: Consultation; onSaved: () => void }) {
  const { w } = useWp();
  const announce = useAnnounce();
  const [value, setValue] = useState<AdministrationDraft[]>([EMPTY_ADMINISTRATION]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const { administrations, problem } = toAdministrations(value);
    if (problem) {
      setError(new Error(w('cons.form.badFocalPoint', { number: problem.index + 1, line: problem.line })));
      return;
    }
    if (!administrations.length) {
      setError(new Error(w('cons.form.nameAdministration')));
      return;
    }
    setBusy(true);
    try {
      await workprogApi.invite(slug, consultation.id, administrations);
      announce(w('cons.form.invited', { count: administrations.length }));
      setValue([EMPTY_ADMINISTRATION]);
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="panel">
      <summary>{w('cons.form.inviteTitle')}</summary>
      <form onSubmit={submit} aria-label={w('cons.form.inviteTitle')}>
        <AdministrationsEditor value={value} onChange={setValue} error={error} />
        <p>
          <button type="submit" disabled={busy}>
            {w('cons.form.invite')}
          </button>
        </p>
        <FormError error={error} fields={['administrations']} />
      </form>
    </details>
  );
}

/** A later deadline, before the current one passes; the focal points are told by e-mail. */
export function ExtendDeadlineForm({ slug, consultation, onSaved }: { slug: string; consultation: Consultation; onSaved: (c: Consultation) => void }) {
  const { w, t } = useWp();
  const announce = useAnnounce();
  const [value, setValue] = useState(() => localInput(new Date(new Date(consultation.deadline).getTime() + 7 * 86_400_000)));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const at = value ? new Date(value) : null;
  const valid = at !== null && !Number.isNaN(at.getTime());
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!valid) {
      setError(new Error(w('cons.form.badDeadline')));
      return;
    }
    setBusy(true);
    try {
      const saved = await workprogApi.extendDeadline(slug, consultation.id, at.toISOString());
      announce(w('cons.form.extended'));
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="panel">
      <summary>{w('cons.form.extendTitle')}</summary>
      <form onSubmit={submit} aria-label={w('cons.form.extendTitle')}>
        <Field label={w('cons.form.newDeadline')} hint={valid ? <Instant iso={at.toISOString()} /> : undefined} error={fieldError(error, 'deadline', t)}>
          {(p) => <input {...p} type="datetime-local" value={value} required onChange={(e) => setValue(e.target.value)} />}
        </Field>
        <p>
          <button type="submit" disabled={busy}>
            {w('cons.form.extend')}
          </button>
        </p>
        <FormError error={error} fields={['deadline']} />
      </form>
    </details>
  );
}
