// A point in time in the viewer's zone, with UTC beside it (ITU deadlines are written in UTC).
import { formatInstant, useI18n, viewerTimeZone, type I18n, type Locale } from '../i18n/index.tsx';

/** The instant in the viewer's zone as text ("… UTC" when the viewer's zone is UTC). */
export function instantText(t: I18n['t'], locale: Locale, iso: string): string {
  const zone = viewerTimeZone();
  return zone === 'UTC' ? t('timeframe.utc', { time: formatInstant(locale, iso, 'UTC') }) : formatInstant(locale, iso, zone);
}

export function Instant({ iso, utc = true }: { iso: string; utc?: boolean }) {
  const { t, locale } = useI18n();
  const zone = viewerTimeZone();
  return (
    <time dateTime={iso} className="instant">
      <span className="instant-local">{instantText(t, locale, iso)}</span>
      {utc && zone !== 'UTC' ? <span className="instant-utc"> ({t('timeframe.utc', { time: formatInstant(locale, iso, 'UTC') })})</span> : null}
    </time>
  );
}
