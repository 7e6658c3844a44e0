// Showing API errors where they happened: the server's sentence next to the field it blamed,
// or next to the button that sent the request. Typed input is never cleared on an error.
import type { ReactNode } from 'react';
import { ApiError } from '../api/http.ts';
import { useI18n, type I18n } from '../i18n/index.tsx';

export function errorMessage(error: unknown, t: I18n['t']): string {
  if (error instanceof ApiError) {
    if (error.code === 'network_error') return t('error.network');
    return error.message || t('error.unknown', { status: String(error.status) });
  }
  return error instanceof Error ? error.message : String(error);
}

/** The error's message when the server blamed this field ("body.email" matches "email"). */
export function fieldError(error: unknown, field: string, t: I18n['t']): string | undefined {
  if (!(error instanceof ApiError) || !error.field) return undefined;
  const blamed = error.field.replace(/^(body|query|params)\./, '');
  return blamed === field || blamed.startsWith(`${field}.`) ? errorMessage(error, t) : undefined;
}

/** A form-level error, unless a field already shows it. */
export function FormError({ error, fields = [], id }: { error: unknown; fields?: string[]; id?: string }) {
  const { t } = useI18n();
  if (!error || fields.some((f) => fieldError(error, f, t))) return null;
  return <p className="error" role="alert" id={id}>{errorMessage(error, t)}</p>;
}

export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="load-error">
      <p className="error" role="alert">{errorMessage(error, t)}</p>
      {onRetry ? <button type="button" className="secondary" onClick={onRetry}>{t('common.retry')}</button> : null}
    </div>
  );
}

export function Loading({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return <p className="hint" aria-busy="true">{children ?? t('common.loading')}</p>;
}
