// The calendar subscription's strings join the catalogues when the group home loads them, and
// a t() typed for their keys (they stay out of translate.ts's AnyMessageKey, which other
// catalogues extend, so this feature needs no change to a shared file).
import { addMessages, type AnyMessageKey, type Vars } from '../translate.ts';
import { calendarAr } from './ar.ts';
import { calendarEn, type CalendarMessageKey } from './en.ts';
import { calendarFr } from './fr.ts';

addMessages({ en: calendarEn, fr: calendarFr, ar: calendarAr });

export const calendarText =
  (t: (key: AnyMessageKey, vars?: Vars) => string) =>
  (key: CalendarMessageKey, vars?: Vars): string =>
    t(key as unknown as AnyMessageKey, vars);
