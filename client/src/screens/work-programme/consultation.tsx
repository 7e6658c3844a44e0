// A Member State consultation: the circular (reference, subject, deadline, the rule), its drafts
// with their summaries; for a focal point, the response form of Annex 2 (per draft: assigns
// authority, with no comments or comments attached, or does not, with reasons; signed with name
// and official role); for the secretariat, the tally (progress before the deadline, the outcome
// after it) and the results table to download.
import '../../i18n/workprog/index.ts';
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { ApiError, urlOf } from '../../api/http.ts';
import { WORKPROG_ROUTES, workprogApi, type AnswerInput, type Attachment, type Consultation, type Tally } from '../../api/workprog-endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { errorMessage, LoadError, Loading } from '../../components/errors.tsx';
import { Instant } from '../../components/instant.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useResource } from '../../lib/use-resource.ts';
import { useWp } from './programme.tsx';
import { ExtendDeadlineForm, InviteAdministrationsForm } from './consultation-form.tsx';

const draftName = (d: { acronym: string; number: string | null }) => (d.number ? `${d.number} (${d.acronym})` : d.acronym);

export function ConsultationScreen({ slug, consultationId }: { slug: string; consultationId: string }) {
  const { w, locale } = useWp();
  const c = useResource(() => workprogApi.consultation(slug, consultationId), [slug, consultationId]);
  const data = c.data;
  return (
    <div className="page">
      <PageHeading title={data?.reference ?? w('cons.title')} />
      {c.error ? <LoadError error={c.error} onRetry={c.reload} /> : null}
      {!data ? (
        c.error ? null : (
          <Loading />
        )
      ) : (
        <>
          {data.abilities.readResults || data.abilities.readProgress || data.abilities.manage ? (
            <p>
              <Link href={`/groups/${slug}/work-programme`}>{w('wp.backToProgramme')}</Link>
            </p>
          ) : null}
          <p>
            <bdi>{data.subject}</bdi>
          </p>
          <dl className="facts">
            <dt>{w('cons.closes')}</dt>
            <dd>
              <Instant iso={data.deadline} /> <span className="badge">{data.closed ? w('cons.closed') : w('cons.open')}</span>
            </dd>
            <dt>{w('cons.issuedOn', { date: '' }).trim()}</dt>
            <dd>{new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(data.issuedOn))}</dd>
          </dl>
          <p>{w('cons.threshold', { threshold: data.thresholdPercent })}</p>
          {data.ruleText ? (
            <blockquote>
              <bdi>{data.ruleText}</bdi>
            </blockquote>
          ) : null}
          <p className="hint">{w('cons.invitees', { count: data.invitees.length })}</p>
          {data.abilities.manage && !data.closed ? (
            <>
              <ExtendDeadlineForm slug={slug} consultation={data} onSaved={c.setData} />
              <InviteAdministrationsForm slug={slug} consultation={data} onSaved={c.reload} />
            </>
          ) : null}
          {data.mine ? <AnswerForm slug={slug} consultation={data} onSaved={c.reload} /> : <Drafts slug={slug} consultation={data} />}
          {data.abilities.readProgress || data.abilities.readResults ? <TallyPanel slug={slug} consultation={data} /> : null}
        </>
      )}
    </div>
  );
}

/** Files attached to answers, as download links; with the Administration's name when several answer. */
function AttachmentList({
  slug,
  consultation,
  items,
  withAdministration,
  onRemove,
}: {
  slug: string;
  consultation: Consultation;
  items: Attachment[];
  withAdministration: boolean;
  onRemove?: (a: Attachment) => void;
}) {
  const { w, locale } = useWp();
  if (!items.length) return null;
  const size = new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 });
  return (
    <ul className="attachments" aria-label={w('cons.attachments')}>
      {items.map((a) => (
        <li key={a.id}>
          <a href={urlOf(WORKPROG_ROUTES.attachment, { params: { slug, consultationId: consultation.id, attachmentId: a.id } })} download>
            <bdi>{a.fileName}</bdi>
          </a>{' '}
          <span className="hint">
            ({size.format(Math.max(1, Math.round(a.size / 1024)))}
            {withAdministration ? (
              <>
                , <bdi>{a.administration.name}</bdi>
              </>
            ) : null}
            )
          </span>
          {onRemove ? (
            <>
              {' '}
              <button type="button" className="secondary" onClick={() => onRemove(a)}>
                {w('cons.attach.remove', { name: a.fileName })}
              </button>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** Attaching a file to the Administration's answer on one draft: sent at once, outside the form's submit. */
function AttachFile({ slug, consultation, draftId, onSaved }: { slug: string; consultation: Consultation; draftId: string; onSaved: () => void }) {
  const { w, t } = useWp();
  const announce = useAnnounce();
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [inputKey, setInputKey] = useState(0);
  const send = async () => {
    setError(null);
    if (!file) {
      setError(new Error(w('cons.attach.choose')));
      return;
    }
    setBusy(true);
    try {
      await workprogApi.attach(slug, consultation.id, draftId, file);
      announce(w('cons.attach.done'));
      setFile(null);
      setInputKey((k) => k + 1);
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="inline-form">
      <label>
        {w('cons.attach.label')}{' '}
        <input
          key={inputKey}
          type="file"
          accept=".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </label>{' '}
      <button type="button" className="secondary" disabled={busy} onClick={send}>
        {w('cons.attach.submit')}
      </button>
      {error ? (
        <p className="error" role="alert">
          {errorMessage(error, t)}
        </p>
      ) : null}
    </div>
  );
}

function Drafts({ slug, consultation }: { slug: string; consultation: Consultation }) {
  const { w } = useWp();
  return (
    <section className="panel" aria-labelledby="drafts-title">
      <h2 id="drafts-title">{w('cons.drafts')}</h2>
      <ol>
        {consultation.drafts.map((d) => (
          <li key={d.id}>
            <strong>
              <bdi>{draftName(d)}</bdi>
            </strong>{' '}
            – <bdi>{d.title}</bdi>
            <AttachmentList slug={slug} consultation={consultation} items={consultation.attachments.filter((a) => a.draftId === d.id)} withAdministration />
          </li>
        ))}
      </ol>
    </section>
  );
}

type Choice = '' | 'assigns_authority' | 'does_not_assign_authority';
interface DraftState {
  choice: Choice;
  option: 'no_comments' | 'comments_attached';
  text: string;
}

function AnswerForm({ slug, consultation, onSaved }: { slug: string; consultation: Consultation; onSaved: () => void }) {
  const { w, t } = useWp();
  const announce = useAnnounce();
  const mine = consultation.mine!;
  const stored = new Map(mine.answers.map((a) => [a.draftId, a]));
  const initial = (): Record<string, DraftState> =>
    Object.fromEntries(
      consultation.drafts.map((d) => {
        const a = stored.get(d.id);
        return [d.id, { choice: (a?.position ?? '') as Choice, option: a?.option ?? 'no_comments', text: a?.text ?? '' }];
      }),
    );
  const [state, setState] = useState(initial);
  const last = mine.answers.at(-1);
  const [signedName, setSignedName] = useState(last?.signedName ?? '');
  const [signedRole, setSignedRole] = useState(last?.signedRole ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const editable = consultation.abilities.answer;
  const set = (id: string, patch: Partial<DraftState>) => setState((s) => ({ ...s, [id]: { ...s[id]!, ...patch } }));
  const remove = async (a: Attachment) => {
    setError(null);
    try {
      await workprogApi.removeAttachment(slug, consultation.id, a.id);
      announce(w('cons.attach.removed'));
      onSaved();
    } catch (err) {
      setError(err);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const answers: AnswerInput[] = consultation.drafts.flatMap((d) => {
      const s = state[d.id]!;
      if (!s.choice) return [];
      const before = stored.get(d.id);
      const assigns = s.choice === 'assigns_authority';
      const text = assigns && s.option === 'no_comments' ? '' : s.text;
      // Unchanged answers are not sent again: each send is a new version in the record.
      if (before && before.position === s.choice && (before.option ?? 'no_comments') === (assigns ? s.option : 'no_comments') && before.text === text)
        return [];
      return [{ draftId: d.id, position: s.choice, ...(assigns ? { option: s.option } : {}), text, expectedVersion: before?.version ?? 0 }];
    });
    if (!answers.length) {
      setError(new Error(w('cons.nothingToSend')));
      return;
    }
    setBusy(true);
    try {
      await workprogApi.answer(slug, consultation.id, { answers, signedName, signedRole });
      announce(w('cons.sent'));
      onSaved();
    } catch (err) {
      setError(err);
      // Another focal point won: show their answer (the form reloads with it).
      if (err instanceof ApiError && err.code === 'answer_changed') onSaved();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel answer-form" onSubmit={submit} aria-labelledby="form-title">
      <h2 id="form-title">{w('cons.form')}</h2>
      <p>{w('cons.formIntro', { administration: mine.administration.name })}</p>
      {!editable ? <p className="hint">{w('cons.readOnlyClosed')}</p> : null}
      {consultation.drafts.map((d, i) => {
        const s = state[d.id]!;
        const a = stored.get(d.id);
        const name = `draft-${i}`;
        return (
          <fieldset key={d.id} disabled={!editable} data-testid="draft-answer">
            <legend>
              <bdi>{draftName(d)}</bdi> – <bdi>{d.title}</bdi>
            </legend>
            {d.summary ? (
              <details>
                <summary>{w('wp.field.summary')}</summary>
                <p className="prewrap">
                  <bdi>{d.summary}</bdi>
                </p>
              </details>
            ) : null}
            <p className="hint">
              {a ? (
                <>
                  {w('cons.answered', { version: a.version, name: a.answeredBy?.name ?? a.signedName, date: '' })}
                  <Instant iso={a.answeredAt} />
                </>
              ) : (
                w('cons.unanswered')
              )}
            </p>
            <label className="choice">
              <input type="radio" name={name} checked={s.choice === 'assigns_authority'} onChange={() => set(d.id, { choice: 'assigns_authority' })} />{' '}
              {w('cons.assigns')}
            </label>
            {s.choice === 'assigns_authority' ? (
              <div className="sub-choices">
                <label className="choice">
                  <input type="radio" name={`${name}-option`} checked={s.option === 'no_comments'} onChange={() => set(d.id, { option: 'no_comments' })} />{' '}
                  {w('cons.noComments')}
                </label>
                <label className="choice">
                  <input
                    type="radio"
                    name={`${name}-option`}
                    checked={s.option === 'comments_attached'}
                    onChange={() => set(d.id, { option: 'comments_attached' })}
                  />{' '}
                  {w('cons.commentsAttached')}
                </label>
              </div>
            ) : null}
            <label className="choice">
              <input
                type="radio"
                name={name}
                checked={s.choice === 'does_not_assign_authority'}
                onChange={() => set(d.id, { choice: 'does_not_assign_authority' })}
              />{' '}
              {w('cons.notAssigns')}
            </label>
            {(s.choice === 'assigns_authority' && s.option === 'comments_attached') || s.choice === 'does_not_assign_authority' ? (
              <label className="block">
                {s.choice === 'does_not_assign_authority' ? w('cons.reasons') : w('cons.comments')}
                <textarea rows={4} value={s.text} maxLength={20_000} required onChange={(e) => set(d.id, { text: e.target.value })} />
              </label>
            ) : null}
            <AttachmentList
              slug={slug}
              consultation={consultation}
              items={consultation.attachments.filter((x) => x.draftId === d.id)}
              withAdministration={false}
              onRemove={editable ? remove : undefined}
            />
            {editable ? <AttachFile slug={slug} consultation={consultation} draftId={d.id} onSaved={onSaved} /> : null}
          </fieldset>
        );
      })}
      <fieldset disabled={!editable}>
        <legend>{w('cons.signature')}</legend>
        <label className="block">
          {w('cons.signedName')} <input value={signedName} required maxLength={200} autoComplete="name" onChange={(e) => setSignedName(e.target.value)} />
        </label>
        <label className="block">
          {w('cons.signedRole')}{' '}
          <input value={signedRole} required maxLength={200} autoComplete="organization-title" onChange={(e) => setSignedRole(e.target.value)} />
        </label>
      </fieldset>
      {editable ? (
        <button type="submit" disabled={busy}>
          {w('cons.submit')}
        </button>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {errorMessage(error, t)}
        </p>
      ) : null}
    </form>
  );
}

function TallyPanel({ slug, consultation }: { slug: string; consultation: Consultation }) {
  const { w } = useWp();
  const tally = useResource(() => workprogApi.tally(slug, consultation.id), [slug, consultation.id]);
  const data: Tally | undefined = tally.data;
  const params = { slug, consultationId: consultation.id };
  return (
    <section className="panel" aria-labelledby="tally-title" data-testid="tally">
      <h2 id="tally-title">{w('cons.tally')}</h2>
      {tally.error ? <LoadError error={tally.error} onRetry={tally.reload} /> : null}
      {!data ? (
        tally.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">{w('cons.tally')}</caption>
              <thead>
                <tr>
                  <th scope="col">{w('cons.col.draft')}</th>
                  <th scope="col">{w('cons.col.replies')}</th>
                  <th scope="col">{w('cons.col.support')}</th>
                  <th scope="col">{w('cons.col.against')}</th>
                  <th scope="col">{w('cons.col.share')}</th>
                  <th scope="col">{w('cons.col.outcome')}</th>
                  <th scope="col">{w('cons.col.answered')}</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((r) => (
                  <tr key={r.draftId}>
                    <th scope="row">
                      <bdi>{draftName(r)}</bdi>
                    </th>
                    <td>{r.replies}</td>
                    <td>{r.inSupport ?? '–'}</td>
                    <td>{r.notInSupport ?? '–'}</td>
                    <td>{r.percentInSupport === null ? '–' : `${r.percentInSupport} %`}</td>
                    <td>{r.outcome ? w(`cons.outcome.${r.outcome}`) : w('cons.outcome.pending')}</td>
                    <td>
                      {r.answered.map((a, i) => (
                        <span key={a.id}>
                          {i ? ', ' : ''}
                          <bdi>{a.name}</bdi>
                        </span>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {!data.announced ? <p className="hint">{w('cons.progress', { answered: data.rows[0]?.replies ?? 0, invited: data.invited })}</p> : null}
          {data.notAnswered.length ? (
            <p>
              {w('cons.notAnswered')}:{' '}
              {data.notAnswered.map((a, i) => (
                <span key={a.id}>
                  {i ? ', ' : ''}
                  <bdi>{a.name}</bdi>
                </span>
              ))}
            </p>
          ) : null}
          {data.announced ? (
            <>
              <p>
                <a href={urlOf(WORKPROG_ROUTES.resultsDocx, { params })} download>
                  {w('cons.resultsDocx')}
                </a>{' '}
                ·{' '}
                <a href={urlOf(WORKPROG_ROUTES.resultsCsv, { params })} download>
                  {w('cons.resultsCsv')}
                </a>
              </p>
              {data.rows.some((r) => r.reasons.length) ? (
                <>
                  <h3>{w('cons.reasonsTitle')}</h3>
                  {data.rows
                    .filter((r) => r.reasons.length)
                    .map((r) => (
                      <div key={r.draftId}>
                        <h4>
                          <bdi>{draftName(r)}</bdi>
                        </h4>
                        <ul>
                          {r.reasons.map((x) => (
                            <li key={x.administration}>
                              <strong>
                                <bdi>{x.administration}</bdi>
                              </strong>{' '}
                              ({x.position === 'does_not_assign_authority' ? w('cons.notAssigns') : w('cons.commentsAttached')}):{' '}
                              <span className="prewrap">
                                <bdi>{x.text}</bdi>
                              </span>
                            </li>
                          ))}
                        </ul>
                      </div>
                    ))}
                </>
              ) : null}
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
