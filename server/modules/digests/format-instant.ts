// Deadlines in digests: always in UTC (how ITU writes them) and in the group's own zone.
export interface ShownInstant {
  iso: string;
  utc: string;
  local: string;
  timeZone: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, timeZone: string): Intl.DateTimeFormat {
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
  return f;
}

/** "Monday 25 April 2016, 23:59" — built from parts, so it does not depend on ICU's punctuation. */
function format(at: Date, timeZone: string): string {
  const p = Object.fromEntries(
    formatter('en-GB', timeZone)
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}

export function showInstant(at: Date, timeZone: string, locale = 'en'): ShownInstant {
  // In another language than English, Intl writes the date its own way (the zone still named after it).
  const write = locale === 'en' ? format : (when: Date, zone: string) => formatter(locale, zone).format(when);
  return { iso: at.toISOString(), utc: `${write(at, 'UTC')} UTC`, local: `${write(at, timeZone)} ${timeZone}`, timeZone };
}
