// "Awaiting my response": the proposed dispositions of my comments, in all my groups, each with
// an agree / object form before its deadline (response-form.tsx, also under the comment in the
// document view). Errors stand next to the form that caused them; what was typed stays.
import '../../i18n/adjudication/index.ts';
import './adjudication.css';
import { useState } from 'react';
import { Link } from 'wouter';
import { adjudicationApi, type AwaitingItem } from '../../api/adjudication-endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { LoadError, Loading } from '../../components/errors.tsx';
import { Instant } from '../../components/instant.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { useResource } from '../../lib/use-resource.ts';
import { ResponseForm } from './response-form.tsx';
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
      {!awaiting.data ? (
        awaiting.error ? null : (
          <Loading />
        )
      ) : items.length === 0 ? (
        <p data-testid="awaiting-empty">{t('adj.awaiting.empty')}</p>
      ) : (
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
  const { t, tb } = useI18n();
  const announce = useAnnounce();
  const [item, setItem] = useState(initial);
  const { group, document, comment, disposition } = item;
  const id = comment.id;
  return (
    <article aria-labelledby={`awaiting-${id}`}>
      <h2 id={`awaiting-${id}`}>
        <bdi>{document.title}</bdi> · {clauseLabel(t, comment.clauseNumber)}
      </h2>
      <p className="hint">
        {tb('adj.awaiting.in', { group: group.name, document: document.title })} · {typeLabel(t, comment.type)} ·{' '}
        <Link href={`/groups/${group.slug}/documents/${document.id}`}>{t('adj.awaiting.openDocument')}</Link>
      </p>
      <h3>{t('adj.awaiting.yourComment')}</h3>
      <div className="comment-body" dir="auto" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
      <h3>{t('adj.awaiting.proposal')}</h3>
      <DispositionSummary disposition={disposition} />
      <p>
        {disposition.respondBy ? (
          <>
            {t('adj.awaiting.deadline')}: <Instant iso={disposition.respondBy} />
          </>
        ) : (
          <span className="hint">{t('adj.awaiting.noDeadline')}</span>
        )}
      </p>
      <ResponseForm
        slug={group.slug}
        documentId={document.id}
        commentId={id}
        disposition={disposition}
        onAnswered={() => {
          announce(t('adj.awaiting.sent', { document: document.title }));
          onAnswered();
        }}
        onChanged={(current) => setItem({ ...item, disposition: current })}
      />
    </article>
  );
}
