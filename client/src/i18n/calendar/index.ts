// The calendar subscription's strings load when the group home needs them, with a t() typed for
// their keys (they stay out of translate.ts's AnyMessageKey, so this feature needs no change to
// a shared type).
import { requireNamespace, type AnyMessageKey, type CalendarMessageKey, type Vars } from '../translate.ts';

requireNamespace('calendar');

export const calendarText =
  (t: (key: AnyMessageKey, vars?: Vars) => string) =>
  (key: CalendarMessageKey, vars?: Vars): string =>
    t(key as unknown as AnyMessageKey, vars);
