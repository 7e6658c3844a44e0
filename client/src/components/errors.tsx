// Showing API errors where they happened: the server's sentence next to the field it blamed,
// or next to the button that sent the request, in the reader's language when the error
// catalogue has its code (i18n/api-errors.ts). Typed input is never cleared on an error.
import type { ReactNode } from 'react';
import { ApiError } from '../api/http.ts';
import { translateApiError, translatorLocale } from '../i18n/api-errors.ts';
import { useI18n, type I18n } from '../i18n/index.tsx';

/** An error body's sentence ({code, message, …details}, e.g. one result of a bulk change) for the reader of t(). */
export function errorBodyMessage(body: { code: string; message?: string | null } & Record<string, unknown>, t: I18n['t']): string {
  return translateApiError(translatorLocale(t), body) ?? (body.message || body.code);
}

export function errorMessage(error: unknown, t: I18n['t']): string {
  if (error instanceof ApiError) {
    if (error.code === 'network_error') return t('error.network');
    const body = typeof error.body === 'object' && error.body !== null ? (error.body as Record<string, unknown>) : {};
    return translateApiError(translatorLocale(t), { ...body, code: error.code }) ?? (error.message || t('error.unknown', { status: String(error.status) }));
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
  return (
    <p className="error" role="alert" id={id}>
      {errorMessage(error, t)}
    </p>
  );
}

export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="load-error">
      <p className="error" role="alert">
        {errorMessage(error, t)}
      </p>
      {onRetry ? (
        <button type="button" className="secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}

export function Loading({ children }: { children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <p className="hint" aria-busy="true">
      {children ?? t('common.loading')}
    </p>
  );
}
