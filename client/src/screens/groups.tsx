// My groups (the operator sees every group): each with where it stands, its next date, and what
// awaits me there (comment now, answers to give, comments to adjudicate).
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { api, type MyGroup } from '../api/endpoints.ts';
import { LoadError, Loading } from '../components/errors.tsx';
import { Instant } from '../components/instant.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useI18n } from '../i18n/index.tsx';
import { awaitingByGroup, nextStepOf, relativeDeadline } from '../lib/awaits.ts';
import { phaseLabel, roleLabel } from '../lib/labels.ts';
import { useNow, useResource } from '../lib/use-resource.ts';

export function GroupsScreen() {
  const { t } = useI18n();
  // Together: the cards appear once, complete (nothing moves as a count arrives).
  const groups = useResource(() => Promise.all([api.groups(), awaitingByGroup().catch(() => new Map<string, number>())]), []);
  return (
    <div className="page">
      <PageHeading title={t('groups.title')} />
      {groups.error ? <LoadError error={groups.error} onRetry={groups.reload} /> : null}
      {!groups.data ? (
        groups.error ? null : (
          <Loading />
        )
      ) : groups.data[0].groups.length === 0 ? (
        <p>{t('groups.empty')}</p>
      ) : (
        <ul className="card-list">
          {groups.data[0].groups.map((g) => (
            <GroupCard key={g.slug} group={g} awaiting={groups.data![1].get(g.slug) ?? 0} />
          ))}
        </ul>
      )}
    </div>
  );
}

function GroupCard({ group: g, awaiting }: { group: MyGroup; awaiting: number }) {
  const { t } = useI18n();
  return (
    <li className="card group-card" data-testid="group-card">
      <h2>
        <Link href={`/groups/${g.slug}`}>
          <bdi>{g.name}</bdi>
        </Link>
      </h2>
      <p className="hint">
        <bdi className="acronym">{g.acronym}</bdi>
        {g.parentBodies.length ? <> · {t('groups.parents', { bodies: g.parentBodies.join(', ') })}</> : null} ·{' '}
        {g.myRole ? roleLabel(t, g.myRole) : t('groups.operatorView')}
      </p>
      <dl className="facts compact group-facts">
        <div>
          <dt>{t('timeframe.currentPhase')}</dt>
          <dd data-testid="group-phase">{phaseLabel(t, g.phase.kind)}</dd>
        </div>
        <div>
          <dt>{t('timeframe.nextDeadline')}</dt>
          <dd data-testid="group-next">
            {g.nextMilestone ? (
              <>
                <span dir="auto">{g.nextMilestone.label}</span> · <Instant iso={g.nextMilestone.at} />
              </>
            ) : (
              t('timeframe.allPassed')
            )}
          </dd>
        </div>
      </dl>
      <Awaits slug={g.slug} phase={g.phase} role={g.myRole} awaiting={awaiting} />
    </li>
  );
}

/** The reader's next steps in a group: links, most urgent first. */
export function Awaits({
  slug,
  phase,
  role,
  awaiting,
  testId = 'group-awaits',
}: {
  slug: string;
  phase: MyGroup['phase'];
  role: string | null;
  awaiting: number;
  testId?: string;
}) {
  const { t, locale } = useI18n();
  const now = useNow(60_000);
  const step = nextStepOf(phase, role);
  const items: { key: string; node: ReactNode }[] = [];
  if (step.kind === 'comment')
    items.push({
      key: 'comment',
      node: (
        <Link href={`/groups/${slug}/documents/${step.documentId}`} className="awaits-primary">
          {t('awaits.commentNow', { when: relativeDeadline(locale, Date.parse(step.deadline) - now) })}
        </Link>
      ),
    });
  if (awaiting > 0) items.push({ key: 'answers', node: <Link href="/me/awaiting">{t('awaits.answers', { count: awaiting })}</Link> });
  if (step.kind === 'adjudicate')
    items.push({ key: 'adjudicate', node: <Link href={`/groups/${slug}/documents/${step.documentId}/adjudication`}>{t('awaits.adjudicate')}</Link> });
  return (
    <div className="awaits" data-testid={testId}>
      <p className="awaits-title">{t('awaits.title')}</p>
      {items.length ? (
        <ul>
          {items.map((i) => (
            <li key={i.key} data-testid={i.key === 'comment' ? 'comment-now' : undefined}>
              {i.node}
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">{t('awaits.nothing')}</p>
      )}
    </div>
  );
}
