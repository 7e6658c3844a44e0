// The conveners' side of a period open beyond the members: who may comment, how outside comments
// are moderated, the public page's introduction and whether members' comments are shown there, the
// questions respondents are asked, the review queue (publish, or reject with a reason that is
// kept), and the analysis of the responses with the CSV of all of them.
import '../../i18n/open-consultation/index.ts';
import { useState, type FormEvent } from 'react';
import { consultationApi, type ModerationQueue, type Openness, type OpennessInput } from '../../api/open-consultation-endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { FormError, LoadError, Loading } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { formatNumber, useI18n } from '../../i18n/index.tsx';
import { useResource } from '../../lib/use-resource.ts';
import { REGIONS, STAKEHOLDER_GROUPS } from './consultation-page.tsx';

interface Props {
  slug: string;
  documentId: string;
  periodId: string;
}

export function ManageConsultationScreen(props: Props) {
  const { t } = useI18n();
  const settings = useResource(() => consultationApi.openness(props.slug, props.documentId, props.periodId), [props.slug, props.documentId, props.periodId]);
  if (settings.error && !settings.data) return <LoadError error={settings.error} onRetry={settings.reload} />;
  if (!settings.data) return <Loading />;
  return (
    <div className="page">
      <PageHeading title={t('oc.manageTitle')} />
      <Settings {...props} openness={settings.data} onSaved={settings.setData} />
      <Questions {...props} openness={settings.data} onSaved={settings.setData} />
      <Queue {...props} />
      <Analysis {...props} />
    </div>
  );
}

function Settings({ slug, documentId, periodId, openness, onSaved }: Props & { openness: Openness; onSaved: (o: Openness) => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [value, setValue] = useState<OpennessInput['openness']>(openness.openness);
  const [moderation, setModeration] = useState<NonNullable<OpennessInput['outsideModeration']>>(openness.outsideModeration);
  const [intro, setIntro] = useState(openness.consultationIntro);
  const [publishMembers, setPublishMembers] = useState(openness.publishMemberComments);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      onSaved(
        await consultationApi.setOpenness(slug, documentId, periodId, {
          openness: value,
          outsideModeration: moderation,
          publishMemberComments: publishMembers,
          consultationIntro: intro,
        }),
      );
      announce(t('oc.settingsSaved'));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="panel" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('oc.settings')}</h2>
      <form onSubmit={submit} noValidate>
        <Field label={t('oc.openness')}>
          {(p) => (
            <select {...p} value={value} onChange={(e) => setValue(e.target.value as OpennessInput['openness'])}>
              {(['members', 'invited_organisations', 'anyone'] as const).map((o) => (
                <option key={o} value={o}>
                  {t(`oc.openness.${o}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('oc.moderation')}>
          {(p) => (
            <select {...p} value={moderation} onChange={(e) => setModeration(e.target.value as typeof moderation)}>
              {(['after_review', 'immediate'] as const).map((o) => (
                <option key={o} value={o}>
                  {t(`oc.moderation.${o}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('oc.intro')} hint={t('oc.introHint')}>
          {(p) => <textarea {...p} rows={5} dir="auto" value={intro} onChange={(e) => setIntro(e.target.value)} />}
        </Field>
        <div className="field checkbox-field">
          <input
            id="publish-member-comments"
            type="checkbox"
            checked={publishMembers}
            onChange={(e) => setPublishMembers(e.target.checked)}
            aria-describedby="publish-member-comments-hint"
          />
          <label htmlFor="publish-member-comments">{t('oc.publishMemberComments')}</label>
          <p className="hint" id="publish-member-comments-hint">
            {t('oc.publishMemberCommentsHint')}
          </p>
        </div>
        <div className="actions">
          <button type="submit">{t('oc.saveSettings')}</button>
          {openness.publicUrl ? <a href={new URL(openness.publicUrl).pathname}>{t('oc.publicLink')}</a> : null}
        </div>
        <FormError error={error} />
      </form>
    </section>
  );
}

type QuestionKind = Openness['questions'][number]['kind'];
interface DraftQuestion {
  /** Stable across reordering, for React and for the controls' ids. */
  key: string;
  prompt: string;
  kind: QuestionKind;
  choices: string[];
  required: boolean;
}
const QUESTION_KINDS: QuestionKind[] = ['free_text', 'single_choice', 'multiple_choice'];
let draftKeys = 0;
const draftKey = () => `q${++draftKeys}`;

/**
 * The questions respondents are asked, edited as a whole and saved together (the API replaces the
 * set). Answers point at options by position, so once anyone answered the list is shown read-only.
 */
function Questions({ slug, documentId, periodId, openness, onSaved }: Props & { openness: Openness; onSaved: (o: Openness) => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [drafts, setDrafts] = useState<DraftQuestion[]>(() =>
    openness.questions.map((q) => ({ key: draftKey(), prompt: q.prompt, kind: q.kind, choices: q.choices, required: q.required })),
  );
  const [error, setError] = useState<unknown>(null);
  const update = (index: number, change: Partial<DraftQuestion>) => setDrafts((list) => list.map((q, i) => (i === index ? { ...q, ...change } : q)));
  const move = (index: number, by: -1 | 1) =>
    setDrafts((list) => {
      const next = [...list];
      const [q] = next.splice(index, 1);
      next.splice(index + by, 0, q!);
      return next;
    });
  const setKind = (index: number, kind: QuestionKind) => {
    const q = drafts[index]!;
    // A choice question starts with two empty options to fill in; a free-text one has none.
    const choices = kind === 'free_text' ? [] : q.choices.length ? q.choices : ['', ''];
    update(index, { kind, choices });
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const saved = await consultationApi.setOpenness(slug, documentId, periodId, {
        openness: openness.openness,
        outsideModeration: openness.outsideModeration,
        publishMemberComments: openness.publishMemberComments,
        consultationIntro: openness.consultationIntro,
        questions: drafts.map(({ prompt, kind, choices, required }) => ({ prompt, kind, choices: kind === 'free_text' ? [] : choices, required })),
      });
      onSaved(saved);
      announce(t('oc.questionsSaved'));
    } catch (err) {
      setError(err);
    }
  };

  if (openness.questionsAnswered) {
    return (
      <section className="panel" aria-labelledby="questions-title">
        <h2 id="questions-title">{t('oc.questions')}</h2>
        <p className="hint" data-testid="questions-locked">
          {t('oc.questionsLocked')}
        </p>
        <ol>
          {openness.questions.map((q) => (
            <li key={q.id}>
              <bdi>{q.prompt}</bdi> <span className="hint">({t(`oc.questionKind.${q.kind}`)})</span>
              {q.choices.length ? (
                <ul>
                  {q.choices.map((c) => (
                    <li key={c}>
                      <bdi>{c}</bdi>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    );
  }

  return (
    <section className="panel" aria-labelledby="questions-title">
      <h2 id="questions-title">{t('oc.questions')}</h2>
      <p className="hint">{t('oc.questionsHint')}</p>
      <form onSubmit={submit} noValidate>
        {drafts.length === 0 ? <p className="hint">{t('oc.noQuestions')}</p> : null}
        <ol className="question-editor">
          {drafts.map((q, index) => {
            const n = index + 1;
            return (
              <li key={q.key} data-testid="question-draft">
                <fieldset>
                  <legend>{t('oc.questionNumber', { n })}</legend>
                  <Field label={t('oc.questionPrompt')}>
                    {(p) => <textarea {...p} rows={2} dir="auto" value={q.prompt} onChange={(e) => update(index, { prompt: e.target.value })} />}
                  </Field>
                  <Field label={t('oc.questionKind')}>
                    {(p) => (
                      <select {...p} value={q.kind} onChange={(e) => setKind(index, e.target.value as QuestionKind)}>
                        {QUESTION_KINDS.map((k) => (
                          <option key={k} value={k}>
                            {t(`oc.questionKind.${k}`)}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  {q.kind === 'free_text' ? null : (
                    <fieldset>
                      <legend>{t('oc.questionChoices')}</legend>
                      {q.choices.map((choice, c) => (
                        <div className="actions" key={c}>
                          <Field label={t('oc.questionChoice', { n: c + 1 })}>
                            {(p) => (
                              <input
                                {...p}
                                dir="auto"
                                value={choice}
                                onChange={(e) => update(index, { choices: q.choices.map((x, i) => (i === c ? e.target.value : x)) })}
                              />
                            )}
                          </Field>
                          <button
                            type="button"
                            className="secondary"
                            aria-label={t('oc.removeChoiceOf', { choice: c + 1, n })}
                            onClick={() => update(index, { choices: q.choices.filter((_, i) => i !== c) })}
                          >
                            {t('oc.removeChoice')}
                          </button>
                        </div>
                      ))}
                      <button type="button" className="secondary" onClick={() => update(index, { choices: [...q.choices, ''] })}>
                        {t('oc.addChoiceTo', { n })}
                      </button>
                    </fieldset>
                  )}
                  <div className="field checkbox-field">
                    <input id={`${q.key}-required`} type="checkbox" checked={q.required} onChange={(e) => update(index, { required: e.target.checked })} />
                    <label htmlFor={`${q.key}-required`}>{t('oc.questionRequired')}</label>
                  </div>
                  <div className="actions">
                    <button type="button" className="secondary" disabled={index === 0} onClick={() => move(index, -1)}>
                      {t('oc.moveQuestionUp', { n })}
                    </button>
                    <button type="button" className="secondary" disabled={index === drafts.length - 1} onClick={() => move(index, 1)}>
                      {t('oc.moveQuestionDown', { n })}
                    </button>
                    <button type="button" className="secondary" onClick={() => setDrafts((list) => list.filter((_, i) => i !== index))}>
                      {t('oc.removeQuestion', { n })}
                    </button>
                  </div>
                </fieldset>
              </li>
            );
          })}
        </ol>
        <div className="actions">
          <button
            type="button"
            className="secondary"
            onClick={() => setDrafts((list) => [...list, { key: draftKey(), prompt: '', kind: 'free_text', choices: [], required: false }])}
          >
            {t('oc.addQuestion')}
          </button>
          <button type="submit">{t('oc.saveQuestions')}</button>
        </div>
        <FormError error={error} />
      </form>
    </section>
  );
}

function Queue({ slug, documentId, periodId }: Props) {
  const { t, locale } = useI18n();
  const queue = useResource(() => consultationApi.queue(slug, documentId, periodId), [slug, documentId, periodId]);
  if (queue.error && !queue.data) return <LoadError error={queue.error} onRetry={queue.reload} />;
  if (!queue.data) return <Loading />;
  const q: ModerationQueue = queue.data;
  return (
    <section className="panel" aria-labelledby="queue-title">
      <h2 id="queue-title">
        {t('oc.queue')} <span className="hint">{t('oc.queueCount', { count: formatNumber(locale, q.total) })}</span>
      </h2>
      {q.items.length === 0 ? <p className="hint">{t('oc.queueEmpty')}</p> : null}
      <ul className="comment-list">
        {q.items.map((item) => (
          <QueueItem key={item.id} item={item} onDone={queue.reload} {...{ slug, documentId, periodId }} />
        ))}
      </ul>
    </section>
  );
}

function QueueItem({ item, onDone, slug, documentId, periodId }: Props & { item: ModerationQueue['items'][number]; onDone: () => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [reason, setReason] = useState<'spam' | 'off_topic' | 'other'>('spam');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const decide = async (decision: 'approve' | 'reject') => {
    setError(null);
    try {
      await consultationApi.moderate(slug, documentId, periodId, item.id, decision === 'approve' ? { decision, note } : { decision, reason, note });
      announce(t(decision === 'approve' ? 'oc.approved' : 'oc.rejected'));
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  const who = item.participant;
  return (
    <li className="comment" data-testid="queue-item">
      <p className="hint">
        <bdi>{who.name}</bdi>
        {who.organisation ? (
          <>
            {' '}
            — <bdi>{who.organisation}</bdi>
          </>
        ) : null}{' '}
        · {t(`oc.stakeholder.${who.stakeholderGroup}`)}
        {who.region ? ` · ${t(`oc.region.${who.region}`)}` : ''} {who.email ? <bdi className="email">{who.email}</bdi> : null}
      </p>
      <p dir="auto">{item.body}</p>
      {item.proposedChange ? (
        <p dir="auto">
          <strong>{t('oc.proposedChange')}:</strong> {item.proposedChange}
        </p>
      ) : null}
      <div className="actions">
        <button type="button" onClick={() => void decide('approve')}>
          {t('oc.approve')}
        </button>
        <Field label={t('oc.reason')}>
          {(p) => (
            <select {...p} value={reason} onChange={(e) => setReason(e.target.value as typeof reason)}>
              {(['spam', 'off_topic', 'other'] as const).map((r) => (
                <option key={r} value={r}>
                  {t(`oc.reason.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('oc.note')}>{(p) => <input {...p} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
        <button type="button" className="secondary" onClick={() => void decide('reject')}>
          {t('oc.reject')}
        </button>
      </div>
      <FormError error={error} />
    </li>
  );
}

function Analysis({ slug, documentId, periodId }: Props) {
  const { t, locale } = useI18n();
  const [stakeholderGroup, setStakeholderGroup] = useState('');
  const [region, setRegion] = useState('');
  const analysis = useResource(
    () => consultationApi.analysis(slug, documentId, periodId, { ...(stakeholderGroup ? { stakeholderGroup } : {}), ...(region ? { region } : {}) }),
    [slug, documentId, periodId, stakeholderGroup, region],
  );
  const table = (title: string, rows: [string, number][], id: string) => (
    <table className="data-table" aria-labelledby={id}>
      <caption id={id}>{title}</caption>
      <tbody>
        {rows.map(([label, count]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{formatNumber(locale, count)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  const a = analysis.data;
  return (
    <section className="panel" aria-labelledby="analysis-title">
      <h2 id="analysis-title">{t('oc.analysis')}</h2>
      <div className="actions">
        <Field label={t('oc.filterStakeholder')}>
          {(p) => (
            <select {...p} value={stakeholderGroup} onChange={(e) => setStakeholderGroup(e.target.value)}>
              <option value="">{t('oc.filterAll')}</option>
              {STAKEHOLDER_GROUPS.map((g) => (
                <option key={g} value={g}>
                  {t(`oc.stakeholder.${g}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('oc.filterRegion')}>
          {(p) => (
            <select {...p} value={region} onChange={(e) => setRegion(e.target.value)}>
              <option value="">{t('oc.filterAll')}</option>
              {REGIONS.map((r) => (
                <option key={r} value={r}>
                  {t(`oc.region.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {analysis.error ? <LoadError error={analysis.error} onRetry={analysis.reload} /> : null}
      {a ? (
        <>
          {table(
            t('oc.byOrigin'),
            (['member', 'liaison', 'public'] as const).map((o) => [t(`oc.origin.${o}`), a.byOrigin[o]]),
            'by-origin',
          )}
          {table(
            t('oc.byStakeholderGroup'),
            Object.entries(a.byStakeholderGroup).map(([g, n]) => [t(`oc.stakeholder.${g as (typeof STAKEHOLDER_GROUPS)[number]}`), n]),
            'by-group',
          )}
          {table(
            t('oc.byRegion'),
            Object.entries(a.byRegion).map(([r, n]) => [t(`oc.region.${r as (typeof REGIONS)[number] | 'unstated'}`), n]),
            'by-region',
          )}
          {a.questions.map((q, i) =>
            q.kind === 'free_text' ? (
              <p key={q.id}>
                <bdi>{q.prompt}</bdi>: {t('oc.answers', { count: formatNumber(locale, q.answers) })}
              </p>
            ) : (
              <div key={q.id}>
                {table(
                  q.prompt,
                  q.choices.map((c) => [c.label, c.count]),
                  `question-${i}`,
                )}
              </div>
            ),
          )}
        </>
      ) : (
        <Loading />
      )}
      <p>
        <a href={consultationApi.csvUrl(slug, documentId, periodId)} download>
          {t('oc.csv')}
        </a>
      </p>
    </section>
  );
}
