// Instants as people read them: ITU writes deadlines in UTC ("2359 hours UTC on 25 April 2016"),
// participants think in their group's zone. Every deadline is shown both ways, and the local
// form carries its zone abbreviation and offset, so the hour repeated when clocks go back
// (Europe/Zurich, last Sunday of October) is never ambiguous.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

// Building a formatter costs far more than using one (an export presents hundreds of instants).
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** "+02:00": the zone's offset from UTC at that instant. */
export function utcOffset(at: Date, timeZone: string): string {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    offsetFormatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const minutes = Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** "25 April 2016 23:59 UTC" style, in the given zone. */
export function formatInstant(at: Date, timeZone: string): string {
  const p = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `${p.day} ${p.month} ${p.year} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

export interface PresentedInstant {
  /** ISO 8601 in UTC, milliseconds included: the value clients compute with. */
  iso: string;
  /** "25 April 2016 23:59 UTC". */
  utc: string;
  /** "26 April 2016 01:59 CEST". */
  local: string;
  timeZone: string;
  /** The group zone's offset at that instant, "+02:00". */
  offset: string;
}

export function presentInstant(at: Date, timeZone: string): PresentedInstant {
  return { iso: at.toISOString(), utc: formatInstant(at, 'UTC'), local: formatInstant(at, timeZone), timeZone, offset: utcOffset(at, timeZone) };
}

/** "25 April 2016 23:59 UTC (26 April 2016 01:59 CEST)", or the UTC form alone for UTC groups. */
export function describeInstant(at: Date, timeZone: string): string {
  const p = presentInstant(at, timeZone);
  return p.local === p.utc ? p.utc : `${p.utc} (${p.local})`;
}
