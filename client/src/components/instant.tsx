// A point in time in the viewer's zone, with UTC beside it (ITU deadlines are written in UTC).
import { formatInstant, useI18n, viewerTimeZone } from '../i18n/index.tsx';

export function Instant({ iso, utc = true }: { iso: string; utc?: boolean }) {
  const { t, locale } = useI18n();
  const zone = viewerTimeZone();
  return (
    <time dateTime={iso} className="instant">
      {zone === 'UTC'
        ? <span className="instant-local">{t('timeframe.utc', { time: formatInstant(locale, iso, 'UTC') })}</span>
        : <span className="instant-local">{formatInstant(locale, iso, zone)}</span>}
      {utc && zone !== 'UTC' ? <span className="instant-utc"> ({t('timeframe.utc', { time: formatInstant(locale, iso, 'UTC') })})</span> : null}
    </time>
  );
}
