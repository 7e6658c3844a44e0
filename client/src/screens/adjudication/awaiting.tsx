// "Awaiting my response": the proposed dispositions of my comments, in all my groups, each with
// an agree / object form before its deadline. Errors stand next to the form that caused them;
// what was typed stays.
import '../../i18n/adjudication/index.ts';
import './adjudication.css';
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { adjudicationApi, conflictCurrent, type AwaitingItem, type ResponseKind } from '../../api/adjudication-endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { fieldError, FormError, LoadError, Loading } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { Instant } from '../../components/instant.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { useResource } from '../../lib/use-resource.ts';
import { clauseLabel, DispositionSummary, typeLabel } from './shared.tsx';

export function AwaitingScreen() {
  const { t } = useI18n();
  const awaiting = useResource(() => adjudicationApi.awaiting(), []);
  const [answered, setAnswered] = useState<ReadonlySet<string>>(() => new Set());
  const items = (awaiting.data?.items ?? []).filter((i) => !answered.has(i.comment.id));
  return (
    <div className="page narrow-page awaiting-page">
      <PageHeading title={t('adj.awaiting.title')} />
      <p className="hint">{t('adj.awaiting.intro')}</p>
      {awaiting.error ? <LoadError error={awaiting.error} onRetry={awaiting.reload} /> : null}
      {!awaiting.data ? (awaiting.error ? null : <Loading />) : items.length === 0 ? <p data-testid="awaiting-empty">{t('adj.awaiting.empty')}</p> : (
        <ul className="card-list awaiting-list">
          {items.map((item) => (
            <li key={item.comment.id} className="card" data-testid="awaiting-item" data-comment-id={item.comment.id}>
              <AwaitingCard item={item} onAnswered={() => setAnswered((s) => new Set(s).add(item.comment.id))} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function AwaitingCard({ item: initial, onAnswered }: { item: AwaitingItem; onAnswered: () => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [item, setItem] = useState(initial);
  const [kind, setKind] = useState<ResponseKind | ''>('');
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [changed, setChanged] = useState(false);
  const [textMissing, setTextMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const { group, document, comment, disposition } = item;
  const id = comment.id;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!kind) return;
    if (kind === 'object' && !text.trim()) { setTextMissing(true); return; }
    setTextMissing(false);
    setError(null);
    setBusy(true);
    try {
      await adjudicationApi.respond(group.slug, document.id, id, disposition.version, kind, text);
      announce(t('adj.awaiting.sent', { document: document.title }));
      onAnswered();
    } catch (caught) {
      // Re-proposed meanwhile: show the new proposal; the typed answer stays for it.
      const current = conflictCurrent(caught);
      if (current) { setItem({ ...item, disposition: current }); setChanged(true); } else setError(caught);
    } finally { setBusy(false); }
  };

  return (
    <article aria-labelledby={`awaiting-${id}`}>
      <h2 id={`awaiting-${id}`}><bdi>{document.title}</bdi> · {clauseLabel(t, comment.clauseNumber)}</h2>
      <p className="hint">{t('adj.awaiting.in', { group: group.name, document: document.title })} · {typeLabel(t, comment.type)} · <Link href={`/groups/${group.slug}/documents/${document.id}`}>{t('adj.awaiting.openDocument')}</Link></p>
      <h3>{t('adj.awaiting.yourComment')}</h3>
      <div className="comment-body" dir="auto" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
      <h3>{t('adj.awaiting.proposal')}</h3>
      <DispositionSummary disposition={disposition} />
      <p>
        {disposition.respondBy ? <>{t('adj.awaiting.deadline')}: <Instant iso={disposition.respondBy} /></> : <span className="hint">{t('adj.awaiting.noDeadline')}</span>}
      </p>
      {changed ? <p className="notice" role="alert">{t('adj.awaiting.changed')}</p> : null}
      <form className="response-form" onSubmit={submit} data-testid="response-form">
        <fieldset className="type-choice">
          <legend>{t('adj.awaiting.answer')}</legend>
          <label className="radio"><input type="radio" name={`response-${id}`} value="agree" checked={kind === 'agree'} onChange={() => setKind('agree')} /> {t('adj.awaiting.agree')}</label>
          <label className="radio"><input type="radio" name={`response-${id}`} value="object" checked={kind === 'object'} onChange={() => setKind('object')} /> {t('adj.awaiting.object')}</label>
        </fieldset>
        <Field label={t('adj.awaiting.text')} error={textMissing ? t('adj.awaiting.objectTextRequired') : fieldError(error, 'text', t)}>
          {(p) => <textarea {...p} name="text" rows={3} dir="auto" value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <div className="actions"><button type="submit" disabled={busy || !kind}>{t('adj.awaiting.send')}</button></div>
        <FormError error={error} fields={['text']} />
      </form>
    </article>
  );
}
