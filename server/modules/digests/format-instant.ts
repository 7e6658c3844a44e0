// Deadlines in digests: always in UTC (how ITU writes them) and in the group's own zone.
export interface ShownInstant { iso: string; utc: string; local: string; timeZone: string }

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function showInstant(at: Date, timeZone: string): ShownInstant {
  return {
    iso: at.toISOString(),
    utc: `${formatter('UTC').format(at)} UTC`,
    local: `${formatter(timeZone).format(at)} ${timeZone}`,
    timeZone,
  };
}
