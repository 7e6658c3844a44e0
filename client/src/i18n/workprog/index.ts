// The work programme and consultation strings join the catalogues when their screens load, with
// a t() typed for their keys (as the calendar's do), so no shared catalogue file changes.
import { addMessages, type AnyMessageKey, type Vars } from '../translate.ts';
import { workprogAr } from './ar.ts';
import { workprogEn, type WorkprogMessageKey } from './en.ts';
import { workprogFr } from './fr.ts';

addMessages({ en: workprogEn, fr: workprogFr, ar: workprogAr });

export const workprogText =
  (t: (key: AnyMessageKey, vars?: Vars) => string) =>
  (key: WorkprogMessageKey, vars?: Vars): string =>
    t(key as unknown as AnyMessageKey, vars);
