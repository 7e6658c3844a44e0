// Sentences with user text in them, as React nodes: each text value (a name, a group, a title) in
// its own <bdi>. Plain .ts (createElement, no JSX) so server-side tests can import it too.
import { createElement, Fragment, type ReactNode } from 'react';
import { selectorsOf, translate, type AnyMessageKey, type Locale, type Vars } from './translate.ts';

// Text values are replaced by their names between two NULs (never in a message or a name), and the
// sentence is cut there: even places, the interface's words; odd places, the names of the values.
// A value the message selects on (a select or plural argument) keeps its value.
const CUT = '\u0000';

export function translateIsolated(locale: Locale, key: AnyMessageKey, vars: Vars): ReactNode {
  const selectors = selectorsOf(locale, key);
  const marked = Object.fromEntries(
    Object.entries(vars).map(([name, value]) => [name, typeof value === 'string' && !selectors.has(name) ? `${CUT}${name}${CUT}` : value]),
  );
  const parts = translate(locale, key, marked).split(CUT);
  return createElement(Fragment, null, ...parts.map((part, i) => (i % 2 ? createElement('bdi', { key: i }, vars[part]) : part)));
}
