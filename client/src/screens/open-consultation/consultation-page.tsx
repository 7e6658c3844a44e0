// The public consultation page (/consult/:periodId): readable without an account where the period
// is open to anyone. The draft clause by clause with its published comments, the group's
// questions, and how to take part: verify an address, say who you are, comment and answer. A
// liaison contact arrives with ?liaison=<token> (their personal link) and is signed in as their body.
import '../../i18n/open-consultation/index.ts';
import { getAlpha2Codes } from 'i18n-iso-countries';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { consultationApi, type Consultation, type MyOutsideComment, type OutsideCommentInput } from '../../api/open-consultation-endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { errorMessage, fieldError, FormError, LoadError, Loading } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { Instant } from '../../components/instant.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useI18n, type I18n } from '../../i18n/index.tsx';
import { useResource } from '../../lib/use-resource.ts';
import { useSession } from '../../session.tsx';

export const STAKEHOLDER_GROUPS = [
  'government',
  'private_sector',
  'civil_society',
  'technical_community',
  'academia',
  'intergovernmental_organisation',
] as const;
export const REGIONS = ['africa', 'asia_pacific', 'eastern_europe', 'latin_america_caribbean', 'western_europe_and_others'] as const;
type T = I18n['t'];
type Attribution = Consultation['comments'][number]['by'];

export function attributionText(t: T, by: Attribution): string {
  if (by.named) return by.organisation && by.organisation !== by.name ? `${by.name} — ${by.organisation}` : by.name;
  const group = by.stakeholderGroup ? t(`oc.stakeholder.${by.stakeholderGroup}`) : '';
  return by.region ? t('oc.anonymousBy', { group, region: t(`oc.region.${by.region}`) }) : t('oc.anonymousByNoRegion', { group });
}

export function ConsultationScreen({ periodId }: { periodId: string }) {
  const { t } = useI18n();
  const session = useSession();
  const [liaisonError, setLiaisonError] = useState<unknown>(null);
  const [liaisonDone, setLiaisonDone] = useState(() => !new URLSearchParams(window.location.search).has('liaison'));
  // A liaison contact's personal link signs them in once; the token then leaves the address bar.
  const used = useRef(false);
  useEffect(() => {
    const token = new URLSearchParams(window.location.search).get('liaison');
    if (!token || used.current) return;
    used.current = true;
    consultationApi
      .enterByLiaisonLink(periodId, token)
      .then(() => session.refresh())
      .catch(setLiaisonError)
      .finally(() => {
        window.history.replaceState(null, '', window.location.pathname);
        setLiaisonDone(true);
      });
  }, [periodId, session]);
  const page = useResource(
    () => (liaisonDone ? consultationApi.page(periodId) : new Promise<Consultation>(() => {})),
    [periodId, liaisonDone, session.user?.id],
  );
  if (page.error && !page.data) return <LoadError error={page.error} onRetry={page.reload} />;
  if (!page.data) return <Loading />;
  const c = page.data;
  return (
    <div className="page consultation-page">
      <p className="hint">{t(c.openness === 'anyone' ? 'oc.kicker' : 'oc.kickerInvited', { group: c.group.name })}</p>
      <PageHeading title={c.document.title} />
      <p className="hint">{t('oc.revision', { sequence: c.revision.sequence, label: c.revision.label })}</p>
      <dl className="facts">
        <dt>{t('oc.deadline')}</dt>
        <dd data-testid="consultation-deadline">
          <Instant iso={c.closesAt.iso} />
        </dd>
      </dl>
      {!c.open ? <p className="notice">{Date.parse(c.opensAt.iso) > Date.now() ? t('oc.notOpenYet') : t('oc.closed')}</p> : null}
      {liaisonError ? (
        <p className="error banner" role="alert">
          {errorMessage(liaisonError, t)}
        </p>
      ) : null}
      {c.intro ? (
        <div className="terms" dir="auto">
          {c.intro.split(/\n\s*\n/).map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </div>
      ) : null}
      {c.liaisons.map((l) => (
        <section key={l.id} className="panel" aria-labelledby={`liaison-${l.id}`}>
          <h2 id={`liaison-${l.id}`}>
            {t('oc.liaisonTitle')}: <bdi>{l.title}</bdi>
          </h2>
          <div dir="auto">
            {l.text.split(/\n\s*\n/).map((p, i) => (
              <p key={i}>{p}</p>
            ))}
          </div>
        </section>
      ))}
      <TakePart consultation={c} onChange={page.reload} />
      <Draft consultation={c} />
    </div>
  );
}

function Draft({ consultation: c }: { consultation: Consultation }) {
  const { t } = useI18n();
  const byClause = new Map<string | null, Consultation['comments']>();
  for (const comment of c.comments) byClause.set(comment.clauseId, [...(byClause.get(comment.clauseId) ?? []), comment]);
  const whole = byClause.get(null) ?? [];
  return (
    <section aria-labelledby="draft-title">
      <h2 id="draft-title">{t('oc.draft')}</h2>
      {c.clauses.map((clause) => (
        <article key={clause.id} className="clause" aria-labelledby={`clause-${clause.id}`}>
          <h3 id={`clause-${clause.id}`} dir="auto">
            {clause.number ? `${clause.number} ` : ''}
            {clause.heading}
          </h3>
          <div className="clause-body" dir="auto" dangerouslySetInnerHTML={{ __html: clause.html }} />
          <PublishedComments comments={byClause.get(clause.id) ?? []} />
        </article>
      ))}
      {whole.length ? (
        <article className="clause" aria-labelledby="clause-whole">
          <h3 id="clause-whole">{t('oc.wholeDraft')}</h3>
          <PublishedComments comments={whole} />
        </article>
      ) : null}
      {c.comments.length === 0 ? <p className="hint">{t('oc.noComments')}</p> : null}
    </section>
  );
}

function PublishedComments({ comments }: { comments: Consultation['comments'] }) {
  const { t } = useI18n();
  if (!comments.length) return null;
  return (
    <ul className="comment-list" aria-label={t('oc.published')}>
      {comments.map((c) => (
        <li key={c.id} className="comment" data-testid="published-comment">
          <p className="hint">
            <span className="badge">{t(`oc.origin.${c.by.origin}`)}</span> <bdi>{attributionText(t, c.by)}</bdi>
            {c.type ? ` · ${t(`oc.type.${c.type}`)}` : ''}
          </p>
          <div className="comment-body" dir="auto" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
          {c.proposedChange ? (
            <p dir="auto">
              <strong>{t('oc.proposedChange')}:</strong> {c.proposedChange}
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function TakePart({ consultation: c, onChange }: { consultation: Consultation; onChange: () => void }) {
  const { t } = useI18n();
  const me = c.me;
  return (
    <section aria-labelledby="take-part-title" className="panel">
      <h2 id="take-part-title">{t('oc.howTo')}</h2>
      {me.kind === 'member' || me.kind === 'operator' ? (
        <p>{t('oc.memberHint')}</p>
      ) : (
        <>
          <p>{t('oc.howToSteps')}</p>
          {me.kind === 'anonymous' ? c.openness === 'anyone' && c.open ? <VerifyEmail periodId={c.periodId} /> : null : null}
          {me.kind !== 'anonymous' && c.open ? <Profile consultation={c} onSaved={onChange} /> : null}
          {me.participant && !me.participant.anonymised && c.open ? <CommentForm consultation={c} onPosted={onChange} /> : null}
          {me.participant && !me.participant.anonymised && c.open && c.questions.length ? <Answers consultation={c} onSaved={onChange} /> : null}
          {me.comments.length ? <MyComments consultation={c} onChange={onChange} /> : null}
          {me.participant && !me.participant.anonymised ? <Anonymise periodId={c.periodId} /> : null}
        </>
      )}
    </section>
  );
}

function VerifyEmail({ periodId }: { periodId: string }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await consultationApi.verifyEmail(periodId, email);
      setSentTo(email);
      announce(t('oc.linkSent', { email }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (sentTo) {
    return (
      <p className="notice" data-testid="link-sent">
        {t('oc.linkSent', { email: sentTo })}
      </p>
    );
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby="verify-title">
      <h3 id="verify-title">{t('oc.verifyTitle')}</h3>
      <Field label={t('oc.email')} hint={t('oc.emailHint')} error={fieldError(error, 'email', t)}>
        {(props) => <input {...props} type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />}
      </Field>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('oc.sending') : t('oc.sendLink')}
        </button>
      </div>
      <FormError error={error} fields={['email']} />
    </form>
  );
}

function useCountries(locale: string) {
  return useMemo(() => {
    const names = new Intl.DisplayNames([locale], { type: 'region' });
    return Object.keys(getAlpha2Codes())
      .map((code) => ({ code, name: names.of(code) ?? code }))
      .sort((a, b) => a.name.localeCompare(b.name, locale));
  }, [locale]);
}

function Profile({ consultation: c, onSaved }: { consultation: Consultation; onSaved: () => void }) {
  const { t, locale } = useI18n();
  const announce = useAnnounce();
  const countries = useCountries(locale);
  const p = c.me.participant;
  const [name, setName] = useState(p?.name ?? '');
  const [organisation, setOrganisation] = useState(p?.organisation ?? '');
  const [stakeholderGroup, setStakeholderGroup] = useState<string>(p?.stakeholderGroup ?? '');
  const [countryCode, setCountryCode] = useState(p?.countryCode ?? '');
  const [region, setRegion] = useState<string>(p?.region ?? '');
  const [publishName, setPublishName] = useState(p?.publishName ?? false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState(!p);
  if (p?.anonymised) return null;
  if (!open) {
    return (
      <p>
        <bdi>{p?.name}</bdi>
        {p?.organisation ? (
          <>
            {' '}
            — <bdi>{p.organisation}</bdi>
          </>
        ) : null}{' '}
        ·{' '}
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          {t('oc.profileTitle')}
        </button>
      </p>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await consultationApi.saveProfile(c.periodId, {
        name,
        organisation,
        stakeholderGroup: stakeholderGroup as (typeof STAKEHOLDER_GROUPS)[number],
        countryCode: countryCode || null,
        region: (region || null) as (typeof REGIONS)[number] | null,
        publishName,
      });
      announce(t('oc.profileSaved'));
      setOpen(false);
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fields = ['name', 'organisation', 'stakeholderGroup', 'countryCode', 'region', 'publishName'];
  return (
    <form onSubmit={submit} noValidate aria-labelledby="profile-title">
      <h3 id="profile-title">{t('oc.profileTitle')}</h3>
      <Field label={t('oc.name')} error={fieldError(error, 'name', t)}>
        {(props) => <input {...props} name="name" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      {p?.liaison ? null : (
        <Field label={t('oc.organisation')} hint={t('oc.organisationHint')} error={fieldError(error, 'organisation', t)}>
          {(props) => (
            <input {...props} name="organisation" autoComplete="organization" value={organisation} onChange={(e) => setOrganisation(e.target.value)} />
          )}
        </Field>
      )}
      <Field label={t('oc.stakeholderGroup')} error={fieldError(error, 'stakeholderGroup', t)}>
        {(props) => (
          <select {...props} name="stakeholderGroup" required value={stakeholderGroup} onChange={(e) => setStakeholderGroup(e.target.value)}>
            <option value="" disabled>
              —
            </option>
            {STAKEHOLDER_GROUPS.map((g) => (
              <option key={g} value={g}>
                {t(`oc.stakeholder.${g}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('oc.country')} error={fieldError(error, 'countryCode', t)}>
        {(props) => (
          <select {...props} name="countryCode" value={countryCode} onChange={(e) => setCountryCode(e.target.value)}>
            <option value="">{t('oc.countryNone')}</option>
            {countries.map((x) => (
              <option key={x.code} value={x.code}>
                {x.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('oc.region')} error={fieldError(error, 'region', t)}>
        {(props) => (
          <select {...props} name="region" value={region} onChange={(e) => setRegion(e.target.value)}>
            <option value="">{t('oc.regionNone')}</option>
            {REGIONS.map((r) => (
              <option key={r} value={r}>
                {t(`oc.region.${r}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="field checkbox-field">
        <input
          id="publish-name"
          type="checkbox"
          checked={publishName}
          onChange={(e) => setPublishName(e.target.checked)}
          aria-describedby="publish-name-hint"
        />
        <label htmlFor="publish-name">{t('oc.publishName')}</label>
        <p className="hint" id="publish-name-hint">
          {t('oc.publishNameHint')}
        </p>
      </div>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('oc.saveProfile')}
        </button>
      </div>
      <FormError error={error} fields={fields} />
    </form>
  );
}

function CommentForm({ consultation: c, onPosted }: { consultation: Consultation; onPosted: () => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [clauseId, setClauseId] = useState('');
  const [type, setType] = useState<OutsideCommentInput['type']>('technical');
  const [body, setBody] = useState('');
  const [proposedChange, setProposedChange] = useState('');
  const [quotedText, setQuotedText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const posted = await consultationApi.comment(c.periodId, { clauseId: clauseId || null, type, body, proposedChange, quotedText: quotedText || null });
      announce(t(posted.state === 'pending' ? 'oc.postedPending' : 'oc.posted'));
      setBody('');
      setProposedChange('');
      setQuotedText('');
      onPosted();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="comment-title">
      <h3 id="comment-title">{t('oc.commentTitle')}</h3>
      <Field label={t('oc.clause')} error={fieldError(error, 'clauseId', t)}>
        {(props) => (
          <select {...props} name="clauseId" value={clauseId} onChange={(e) => setClauseId(e.target.value)}>
            <option value="">{t('oc.wholeDraft')}</option>
            {c.clauses.map((clause) => (
              <option key={clause.id} value={clause.id}>
                {`${clause.number} ${clause.heading}`.trim()}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('oc.type')} error={fieldError(error, 'type', t)}>
        {(props) => (
          <select {...props} name="type" value={type} onChange={(e) => setType(e.target.value as OutsideCommentInput['type'])}>
            {(['general', 'technical', 'editorial'] as const).map((x) => (
              <option key={x} value={x}>
                {t(`oc.type.${x}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('oc.body')} error={fieldError(error, 'body', t)}>
        {(props) => <textarea {...props} name="body" rows={5} required dir="auto" value={body} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      <Field label={t('oc.proposedChange')} hint={t('oc.proposedChangeHint')} error={fieldError(error, 'proposedChange', t)}>
        {(props) => (
          <textarea {...props} name="proposedChange" rows={3} dir="auto" value={proposedChange} onChange={(e) => setProposedChange(e.target.value)} />
        )}
      </Field>
      <Field label={t('oc.quote')} hint={t('oc.quoteHint')} error={fieldError(error, 'quotedText', t)}>
        {(props) => <input {...props} name="quotedText" dir="auto" value={quotedText} onChange={(e) => setQuotedText(e.target.value)} />}
      </Field>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('oc.postComment')}
        </button>
      </div>
      <FormError error={error} fields={['clauseId', 'type', 'body', 'proposedChange', 'quotedText']} />
    </form>
  );
}

function Answers({ consultation: c, onSaved }: { consultation: Consultation; onSaved: () => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const previous = new Map(c.me.answers.map((a) => [a.questionId, a]));
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(c.questions.map((q) => [q.id, previous.get(q.id)?.text ?? ''])));
  const [choices, setChoices] = useState<Record<string, number[]>>(() => Object.fromEntries(c.questions.map((q) => [q.id, previous.get(q.id)?.choices ?? []])));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const toggle = (questionId: string, index: number, single: boolean) =>
    setChoices((all) => {
      const now = all[questionId] ?? [];
      return { ...all, [questionId]: single ? [index] : now.includes(index) ? now.filter((x) => x !== index) : [...now, index].sort() };
    });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answers = c.questions
        .map((q) => (q.kind === 'free_text' ? { questionId: q.id, text: texts[q.id] ?? '' } : { questionId: q.id, choices: choices[q.id] ?? [] }))
        .filter((a) => ('text' in a ? (a.text ?? '').trim() !== '' : (a.choices ?? []).length > 0));
      if (answers.length) await consultationApi.answer(c.periodId, { answers });
      announce(t('oc.answersSaved'));
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="answers-title">
      <h3 id="answers-title">{t('oc.answersTitle')}</h3>
      {c.questions.map((q) =>
        q.kind === 'free_text' ? (
          <Field key={q.id} label={q.prompt}>
            {(props) => <textarea {...props} rows={3} dir="auto" value={texts[q.id] ?? ''} onChange={(e) => setTexts({ ...texts, [q.id]: e.target.value })} />}
          </Field>
        ) : (
          <fieldset key={q.id} className="field">
            <legend dir="auto">{q.prompt}</legend>
            {q.choices.map((label, index) => {
              const id = `q-${q.id}-${index}`;
              return (
                <div key={id} className="choice">
                  <input
                    id={id}
                    type={q.kind === 'single_choice' ? 'radio' : 'checkbox'}
                    name={`q-${q.id}`}
                    checked={(choices[q.id] ?? []).includes(index)}
                    onChange={() => toggle(q.id, index, q.kind === 'single_choice')}
                  />
                  <label htmlFor={id} dir="auto">
                    {label}
                  </label>
                </div>
              );
            })}
          </fieldset>
        ),
      )}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t('oc.saveAnswers')}
        </button>
      </div>
      <FormError error={error} />
    </form>
  );
}

function MyComments({ consultation: c, onChange }: { consultation: Consultation; onChange: () => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const withdraw = async (comment: MyOutsideComment) => {
    if (!window.confirm(t('oc.withdrawConfirm'))) return;
    setError(null);
    try {
      await consultationApi.withdraw(c.periodId, comment.id);
      onChange();
    } catch (err) {
      setError(err);
    }
  };
  const respond = async (comment: MyOutsideComment, response: 'agree' | 'object') => {
    setError(null);
    try {
      await consultationApi.respond(c.periodId, comment.id, { expectedVersion: comment.disposition!.version, response });
      onChange();
    } catch (err) {
      setError(err);
    }
  };
  const clauseOf = new Map(c.clauses.map((x) => [x.id, `${x.number} ${x.heading}`.trim()]));
  return (
    <section aria-labelledby="mine-title">
      <h3 id="mine-title">{t('oc.mine')}</h3>
      <ul className="comment-list">
        {c.me.comments.map((m) => (
          <li key={m.id} className="comment" data-testid="my-comment">
            <p className="hint">
              <span className="badge">{m.withdrawn ? t('oc.withdrawn') : t(`oc.state.${m.state}`)}</span>{' '}
              {m.clauseId ? clauseOf.get(m.clauseId) : t('oc.wholeDraft')}
            </p>
            <p dir="auto">{m.body}</p>
            {m.disposition ? (
              <div data-testid="my-disposition">
                <p>
                  {t('oc.disposition', { code: m.disposition.code ?? '' })}
                  {m.disposition.rationale ? ` — ${m.disposition.rationale}` : ''}
                </p>
                {m.disposition.response ? (
                  <p>{t('oc.responded', { response: t(m.disposition.response === 'agree' ? 'oc.agree' : 'oc.object') })}</p>
                ) : m.disposition.status === 'proposed' ? (
                  <div className="actions">
                    <button type="button" onClick={() => void respond(m, 'agree')}>
                      {t('oc.agree')}
                    </button>
                    <button type="button" className="secondary" onClick={() => void respond(m, 'object')}>
                      {t('oc.object')}
                    </button>
                  </div>
                ) : null}
              </div>
            ) : null}
            {!m.withdrawn && c.open ? (
              <button type="button" className="secondary" onClick={() => void withdraw(m)}>
                {t('oc.withdraw')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <FormError error={error} />
    </section>
  );
}

function Anonymise({ periodId }: { periodId: string }) {
  const { t } = useI18n();
  const session = useSession();
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    if (!window.confirm(t('oc.anonymiseConfirm'))) return;
    try {
      await consultationApi.anonymise(periodId);
      session.signedOut();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="anonymise-title">
      <h3 id="anonymise-title">{t('oc.anonymiseTitle')}</h3>
      <p className="hint">{t('oc.anonymiseHint')}</p>
      <button type="button" className="secondary" onClick={() => void run()}>
        {t('oc.anonymise')}
      </button>
      <FormError error={error} />
    </section>
  );
}
