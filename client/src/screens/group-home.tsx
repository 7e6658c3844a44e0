// Group home: what awaits the reader first ("Comment now — closes in N days", answers to give),
// then where the group stands (phase, next deadline, live countdown), its timeframe, documents
// (and the digest archive), terms of reference and members.
import { lazy, Suspense, useEffect, useMemo, useRef } from 'react';
import { Link } from 'wouter';
import { api, type Group } from '../api/endpoints.ts';
import { DocumentsPanel } from '../components/documents-panel.tsx';
import { LoadError, Loading } from '../components/errors.tsx';
import { Instant } from '../components/instant.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { formatCountdown, useI18n, viewerTimeZone } from '../i18n/index.tsx';
import { milestoneKindLabel, phaseLabel, roleLabel } from '../lib/labels.ts';
import { timelineAt } from '../lib/timeframe.ts';
import { awaitingByGroup } from '../lib/awaits.ts';
import { useNow, useResource } from '../lib/use-resource.ts';
import { Awaits } from './groups.tsx';
import { GroupLanguages } from '../components/group-languages.tsx';

// Loaded with its strings when a member's group home shows it: the entry chunk (which the
// document view also loads) stays as it was.
const CalendarSubscription = lazy(() => import('../components/calendar-subscription.tsx').then((m) => ({ default: m.CalendarSubscription })));

export function GroupHomeScreen({ slug }: { slug: string }) {
  const { t } = useI18n();
  // With the group, what awaits me in it: the top of the page is complete in its first render.
  const group = useResource(() => Promise.all([api.group(slug), awaitingByGroup().catch(() => new Map<string, number>())]), [slug]);
  if (!group.data) {
    return (
      <div className="page">
        <PageHeading title={t('common.loading')} />
        {group.error ? <LoadError error={group.error} onRetry={group.reload} /> : <Loading />}
      </div>
    );
  }
  const [g, awaiting] = group.data;
  return (
    <div className="page">
      {/* <bdi>: a group's name keeps its own direction inside a right-to-left interface. */}
      <PageHeading title={g.name}>
        <bdi>{g.name}</bdi>
      </PageHeading>
      <p className="hint subtitle">
        <bdi className="acronym">{g.acronym}</bdi>
        {g.parentBodies.length ? <> · {t('groups.parents', { bodies: g.parentBodies.join(', ') })}</> : null} ·{' '}
        <Link href={`/groups/${g.slug}/work-programme`}>{t('group.workProgramme')}</Link>
      </p>
      {g.myRole ? <Awaits slug={g.slug} phase={g.phase} role={g.myRole} awaiting={awaiting.get(g.slug) ?? 0} /> : null}
      <div className="group-layout">
        <Timeframe group={g} onDeadlinePassed={group.reload} />
        <DocumentsPanel group={g} />
        <About group={g} />
        <Members group={g} />
      </div>
    </div>
  );
}

function Timeframe({ group, onDeadlinePassed }: { group: Group; onDeadlinePassed: () => void }) {
  const { t, locale } = useI18n();
  const { milestones, phase, slug } = group;
  // The server's clock, not the viewer's: the phase says when the database read it, so a viewer
  // whose clock is off still sees the countdown and the timeline the server's phase belongs to.
  const skew = useMemo(() => Date.parse(phase.at.iso) - Date.now(), [phase.at.iso]);
  const now = useNow(1000) + skew;
  const member = group.myRole !== null;
  const { entries, next } = timelineAt(milestones, now);
  // A deadline passing may move the group into its next phase: ask the server where it stands.
  const nextId = next?.id;
  const counted = useRef(nextId);
  useEffect(() => {
    if (counted.current === nextId) return;
    counted.current = nextId;
    onDeadlinePassed();
  }, [nextId, onDeadlinePassed]);
  return (
    <section aria-labelledby="timeframe-title" className="panel timeframe">
      <h2 id="timeframe-title">{t('timeframe.title')}</h2>
      <dl className="phase-summary">
        <div>
          <dt>{t('timeframe.currentPhase')}</dt>
          <dd data-testid="current-phase">{phaseLabel(t, phase.kind)}</dd>
        </div>
        {milestones.length === 0 ? null : next ? (
          <>
            <div>
              <dt>{t('timeframe.nextDeadline')}</dt>
              <dd>
                <span dir="auto">{next.label}</span>
                <br />
                <Instant iso={next.at} />
              </dd>
            </div>
            <div>
              <dt>{t('timeframe.timeLeft')}</dt>
              {/* role=timer is not announced on every tick (its live setting is off). */}
              <dd>
                <span role="timer" aria-atomic="true" className="countdown" data-testid="countdown">
                  {formatCountdown(locale, Date.parse(next.at) - now)}
                </span>
              </dd>
            </div>
          </>
        ) : (
          <div>
            <dt>{t('timeframe.nextDeadline')}</dt>
            <dd>{t('timeframe.allPassed')}</dd>
          </div>
        )}
      </dl>
      {milestones.length === 0 ? (
        <p>{t('timeframe.empty')}</p>
      ) : (
        <>
          <ol className="timeline">
            {entries.map(({ milestone, status }) => (
              <li key={milestone.id} className={`timeline-item ${status}`} aria-current={status === 'current' ? 'step' : undefined}>
                <span className="timeline-status">{t(`timeframe.status.${status}`)}</span>
                <span className="timeline-kind">{milestoneKindLabel(t, milestone.kind)}</span>
                <span className="timeline-label" dir="auto">
                  {milestone.label}
                </span>
                <Instant iso={milestone.at} />
              </li>
            ))}
          </ol>
          <p className="hint">{t('timeframe.shownIn', { zone: viewerTimeZone() })}</p>
        </>
      )}
      {/* A feed belongs to a membership: the operator looking at a group they are not in gets none. */}
      {member ? (
        <Suspense fallback={null}>
          <CalendarSubscription slug={slug} />
        </Suspense>
      ) : null}
    </section>
  );
}

function About({ group }: { group: Group }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="about-title" className="panel">
      <h2 id="about-title">{t('group.details')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('group.yourRole')}</dt>
          <dd>{group.myRole ? roleLabel(t, group.myRole) : t('groups.operatorView')}</dd>
        </div>
        {group.mailingList ? (
          <div>
            <dt>{t('group.mailingList')}</dt>
            <dd>
              <a href={`mailto:${group.mailingList}`}>
                <bdi>{group.mailingList}</bdi>
              </a>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t('group.timeZone')}</dt>
          <dd>
            <bdi>{group.timeZone}</bdi>
          </dd>
        </div>
        <GroupLanguages group={group} />
      </dl>
      <h3>{t('group.termsOfReference')}</h3>
      <div className="terms" dir="auto" data-testid="terms-of-reference">
        {group.termsOfReference}
      </div>
    </section>
  );
}

function Members({ group }: { group: Group }) {
  const { t } = useI18n();
  const members = useResource(() => api.members(group.slug), [group.slug]);
  return (
    <section aria-labelledby="members-title" className="panel">
      <h2 id="members-title">{t('group.members')}</h2>
      <p>
        {t('group.memberCount', { count: group.memberCount })}
        {group.abilities['members.invite'] ? (
          <>
            {' '}
            · <Link href={`/groups/${group.slug}/members`}>{t('group.manageMembers')}</Link>
          </>
        ) : null}
      </p>
      {members.error ? <LoadError error={members.error} onRetry={members.reload} /> : null}
      {members.data ? (
        <ul className="member-list">
          {members.data.members.map((m) => (
            <li key={m.userId}>
              <bdi className="member-name">{m.name}</bdi>
              <span className="hint">
                {' '}
                · <bdi>{m.affiliation || '—'}</bdi> · {roleLabel(t, m.role)}
              </span>
            </li>
          ))}
        </ul>
      ) : members.error ? null : (
        <Loading />
      )}
    </section>
  );
}
