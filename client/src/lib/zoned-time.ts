// Wall-clock times in a named zone (the group's, e.g. Europe/Zurich) to and from instants, for
// datetime-local fields: a convener types a deadline as the group reads it, the server receives
// the instant. Pure and built on Intl only (no time-zone database shipped to the browser).

const formats = new Map<string, Intl.DateTimeFormat>();
function wallFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** The zone's wall time at `ms`, as the milliseconds of that wall time read as UTC. */
function wallAsUtc(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(
    wallFormat(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
}

/** The zone's offset from UTC at an instant, in milliseconds (+2 h in Zurich in summer). */
export const zoneOffsetAt = (ms: number, timeZone: string) => wallAsUtc(Math.floor(ms / 1000) * 1000, timeZone) - Math.floor(ms / 1000) * 1000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An instant as a datetime-local value ("2016-04-26T01:59") in the zone. */
export function toZonedInput(iso: string | number, timeZone: string): string {
  const wall = new Date(wallAsUtc(typeof iso === 'number' ? iso : Date.parse(iso), timeZone));
  return `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;
}

/**
 * The instant (ISO, UTC) of a datetime-local value read in the zone, or null when it is not one.
 * A wall time the zone skips (clocks going forward) is read with the offset before the change,
 * so it lands just after the gap; one it repeats (clocks going back) is the first of the two.
 */
export function fromZonedInput(value: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return null;
  // The offsets a day either side of the wall time: they differ only across a change of the clocks.
  const before = zoneOffsetAt(wall - 3_600_000 * 24, timeZone);
  const after = zoneOffsetAt(wall + 3_600_000 * 24, timeZone);
  const candidates = [wall - before, wall - after].filter((ms) => wallAsUtc(ms, timeZone) === wall);
  const ms = candidates.length ? Math.min(...candidates) : wall - before;
  return new Date(ms).toISOString();
}
