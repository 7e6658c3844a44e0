// Each screen's <h1>: sets the document title and, after an in-app navigation, takes focus so
// keyboard and screen-reader users start reading the new page (not the old link).
import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n/index.tsx';

let focusOnNextHeading = false;
/** Called by the shell when the location changes (not on the first load). */
export const requestHeadingFocus = () => { focusOnNextHeading = true; };

export function PageHeading({ title, children }: { title: string; children?: ReactNode }) {
  const { t } = useI18n();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => { document.title = `${title} · ${t('app.name')}`; }, [title, t]);
  useEffect(() => {
    if (focusOnNextHeading && ref.current) {
      focusOnNextHeading = false;
      ref.current.focus();
    }
  });
  return <h1 ref={ref} tabIndex={-1}>{children ?? title}</h1>;
}
