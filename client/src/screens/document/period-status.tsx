// Where this revision's comment period stands: the group's phase, the deadline in the viewer's
// zone with UTC beside it, a live countdown, and a plain "comments closed" state after it.
import type { Period, Phase } from '../../api/document-endpoints.ts';
import { Instant } from '../../components/instant.tsx';
import { formatCountdown, formatInstant, useI18n, type Locale } from '../../i18n/index.tsx';
import type { PeriodState } from '../../lib/comment-threads.ts';
import { phaseLabel } from '../../lib/labels.ts';

export function PeriodStatus({ phase, state, now }: { phase: Phase | undefined; state: PeriodState<Period>; now: number }) {
  const { t, locale } = useI18n();
  return (
    <section aria-labelledby="period-title" className={`panel period-status period-${state.state}`} data-testid="period-status" data-state={state.state}>
      <h2 id="period-title">{t('doc.period.title')}</h2>
      <dl className="phase-summary">
        {phase ? (
          <div>
            <dt>{t('doc.phase.label')}</dt>
            <dd data-testid="doc-phase">{phaseLabel(t, phase.kind)}</dd>
          </div>
        ) : null}
        {state.state === 'open' ? (
          <>
            <div>
              <dt>{t('doc.period.deadline')}</dt>
              <dd>
                <Instant iso={state.period.closesAt.iso} />
              </dd>
            </div>
            <div>
              <dt>{t('timeframe.timeLeft')}</dt>
              <dd>
                <span role="timer" aria-atomic="true" className="countdown" data-testid="doc-countdown">
                  {formatCountdown(locale, Date.parse(state.period.closesAt.iso) - now)}
                </span>
              </dd>
            </div>
          </>
        ) : null}
        {state.state === 'upcoming' ? (
          <div>
            <dt>{t('doc.period.opens')}</dt>
            <dd>
              <Instant iso={state.period.opensAt.iso} />
            </dd>
          </div>
        ) : null}
        {state.state === 'closed' ? (
          <div>
            <dt>{t('doc.period.closedAt')}</dt>
            <dd>
              <Instant iso={state.period.closesAt.iso} />
            </dd>
          </div>
        ) : null}
      </dl>
      {state.state !== 'open' ? (
        <p className="notice closed-notice" data-testid="comments-closed">
          {closedReason(t, locale, state)}
        </p>
      ) : null}
      {state.state !== 'none' && state.period.extensions.length ? (
        <p className="hint">{t('doc.period.extended', { count: state.period.extensions.length, reason: state.period.extensions.at(-1)!.reason })}</p>
      ) : null}
    </section>
  );
}

/** Why nobody may comment now: shown in the status panel and on the disabled composer. */
export function closedReason(t: ReturnType<typeof useI18n>['t'], locale: Locale, state: PeriodState<Period>): string {
  // ITU deadlines are stated in UTC, written in the reader's language.
  const utc = (iso: string) => t('timeframe.utc', { time: formatInstant(locale, iso, 'UTC') });
  switch (state.state) {
    case 'none':
      return t('doc.closed.none');
    case 'upcoming':
      return t('doc.closed.upcoming', { time: utc(state.period.opensAt.iso) });
    case 'closed':
      return t('doc.closed.passed', { time: utc(state.period.closesAt.iso) });
    case 'open':
      return '';
  }
}
