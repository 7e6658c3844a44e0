// Imported by each lazily loaded screen that shows these strings: their catalogue (in the reader's
// language only) loads with the screen's code, so it costs the first screens nothing.
import { requireNamespace } from '../translate.ts';

requireNamespace('interchange');
