// Pieces the adjudication screens share: the words for codes, states and types, a disposition as
// it stands, and the consultation status of one comment.
import type { Disposition } from '../../api/adjudication-endpoints.ts';
import { Instant } from '../../components/instant.tsx';
import { formatInstant, useI18n, type AnyMessageKey, type I18n } from '../../i18n/index.tsx';
import { consultationOf, type Consultation } from '../../lib/consultation.ts';

export const codeLabel = (t: I18n['t'], code: string | null) => t(`adj.code.${code ?? 'undecided'}` as AnyMessageKey);
export const statusLabel = (t: I18n['t'], status: string) => t(`adj.status.${status}` as AnyMessageKey);
export const typeLabel = (t: I18n['t'], type: string) => t(`adj.type.${type}` as AnyMessageKey);
export const clauseLabel = (t: I18n['t'], number: string | null) => (number ? t('adj.board.clause', { number }) : t('adj.board.wholeDocument'));

const BADGE: Record<Consultation, AnyMessageKey | null> = {
  none: null,
  awaiting: 'adj.consult.badge.awaiting',
  agreed: 'adj.consult.badge.agreed',
  objected: 'adj.consult.badge.objected',
  silent: 'adj.consult.badge.silent',
};

export function ConsultationBadge({ disposition, now }: { disposition: Disposition; now: number }) {
  const { t } = useI18n();
  const state = consultationOf(disposition, now);
  const key = BADGE[state];
  return key ? (
    <span className={`badge consult-${state}`} data-consultation={state}>
      {t(key)}
    </span>
  ) : null;
}

/** The sentence for the consultation of one comment, with the deadline in the viewer's zone. */
export function ConsultationStatus({ disposition, now }: { disposition: Disposition; now: number }) {
  const { t, locale } = useI18n();
  const state = consultationOf(disposition, now);
  return (
    <div className="consultation" data-testid="consultation" data-consultation={state}>
      {state === 'awaiting' && disposition.respondBy ? (
        <p>
          {t('adj.consult.awaiting', { deadline: formatInstant(locale, disposition.respondBy) })}
          <span className="instant-utc"> ({t('timeframe.utc', { time: formatInstant(locale, disposition.respondBy, 'UTC') })})</span>
        </p>
      ) : (
        <p>
          {t(
            state === 'awaiting'
              ? 'adj.consult.awaitingNoDeadline'
              : state === 'agreed'
                ? 'adj.consult.agreed'
                : state === 'objected'
                  ? 'adj.consult.objected'
                  : state === 'silent'
                    ? 'adj.consult.deadlinePassed'
                    : 'adj.consult.none',
          )}
        </p>
      )}
      {disposition.response?.text ? (
        <blockquote className="response-text" dir="auto">
          <bdi>{disposition.response.text}</bdi>
        </blockquote>
      ) : null}
      {disposition.response ? (
        <p className="hint">
          <Instant iso={disposition.response.at} />
        </p>
      ) : null}
    </div>
  );
}

/** A disposition as it stands: code, state, who, rationale and adopted text. */
export function DispositionSummary({ disposition }: { disposition: Disposition }) {
  const { t, tb } = useI18n();
  const who = disposition.finalisedBy
    ? tb('adj.detail.finalisedBy', { name: disposition.finalisedBy.name })
    : disposition.proposedBy
      ? tb('adj.detail.proposedBy', { name: disposition.proposedBy.name })
      : disposition.draftedBy
        ? tb('adj.detail.draftedBy', { name: disposition.draftedBy.name })
        : null;
  return (
    <dl className="facts compact disposition-summary" data-testid="disposition-summary">
      <dt>{t('adj.form.disposition')}</dt>
      <dd>
        <strong>{codeLabel(t, disposition.disposition)}</strong> ·{' '}
        <span className={`badge status-${disposition.status}`}>{statusLabel(t, disposition.status)}</span>
        {who ? <span className="hint"> · {who}</span> : null}
      </dd>
      {disposition.rationale ? (
        <>
          <dt>{t('adj.detail.rationale')}</dt>
          <dd dir="auto">
            <bdi>{disposition.rationale}</bdi>
          </dd>
        </>
      ) : null}
      {disposition.finalisedOver ? (
        <>
          <dt>{t('adj.detail.consultation')}</dt>
          <dd data-testid="finalised-over">{t(`adj.detail.finalisedOver.${disposition.finalisedOver}` as AnyMessageKey)}</dd>
        </>
      ) : null}
      {disposition.adoptedText ? (
        <>
          <dt>{t('adj.detail.adoptedText')}</dt>
          <dd dir="auto">
            <bdi>{disposition.adoptedText}</bdi>
          </dd>
        </>
      ) : null}
    </dl>
  );
}
