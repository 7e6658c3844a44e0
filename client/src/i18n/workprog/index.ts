// The work programme and consultation strings load when their screens do, with a t() typed for
// their keys (as the calendar's are).
import { requireNamespace, type AnyMessageKey, type Vars, type WorkprogMessageKey } from '../translate.ts';

requireNamespace('workprog');

export const workprogText =
  (t: (key: AnyMessageKey, vars?: Vars) => string) =>
  (key: WorkprogMessageKey, vars?: Vars): string =>
    t(key as unknown as AnyMessageKey, vars);
