// Deadlines in digests: always in UTC (how ITU writes them) and in the group's own zone.
export interface ShownInstant {
  iso: string;
  utc: string;
  local: string;
  timeZone: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** "Monday 25 April 2016, 23:59" — built from parts, so it does not depend on ICU's punctuation. */
function format(at: Date, timeZone: string): string {
  const p = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}

/** In another language than English, Intl writes the date its own way (the zone still named after it). */
function formatIn(locale: string, at: Date, timeZone: string): string {
  const key = `${locale}/${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(key, f);
  }
  return f.format(at);
}

export function showInstant(at: Date, timeZone: string, locale = 'en'): ShownInstant {
  const write = locale === 'en' ? format : (when: Date, zone: string) => formatIn(locale, when, zone);
  return { iso: at.toISOString(), utc: `${write(at, 'UTC')} UTC`, local: `${write(at, timeZone)} ${timeZone}`, timeZone };
}
