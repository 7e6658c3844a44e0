// Each screen's <h1>: sets the document title and, after an in-app navigation, takes focus so
// keyboard and screen-reader users start reading the new page (not the link they left).
import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'wouter';
import { useI18n } from '../i18n/index.tsx';

// The location whose heading last took focus; the first page load never moves focus.
let focusedFor: string | null = null;

export function PageHeading({ title, children }: { title: string; children?: ReactNode }) {
  const { t } = useI18n();
  const [location] = useLocation();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
  useEffect(() => {
    if (focusedFor === null) {
      focusedFor = location;
      return;
    }
    if (focusedFor !== location && ref.current) {
      focusedFor = location;
      ref.current.focus();
    }
  }, [location]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children ?? title}
    </h1>
  );
}
