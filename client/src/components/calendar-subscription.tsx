// The group home's calendar subscription: a member asks for a private feed URL of the timeframe
// to paste into Outlook, Google Calendar or Apple Calendar. The server answers the URL once
// (it keeps only a hash), so after a reload the member can reset it (new URL, old one dead) or
// revoke it, but not read it again.
import { memo, type ReactNode, useEffect, useRef, useState } from 'react';
import { calendarApi, type CalendarFeedLink } from '../api/calendar-endpoints.ts';
import { ApiError } from '../api/http.ts';
import { calendarText } from '../i18n/calendar/index.ts';
import { formatInstant, useI18n } from '../i18n/index.tsx';
import { useResource } from '../lib/use-resource.ts';
import { useAnnounce } from './announcer.tsx';
import { FormError, LoadError, Loading } from './errors.tsx';
import './calendar-subscription.css';

// memo: the timeframe around it re-renders every second (the countdown); this has nothing to redraw then.
export const CalendarSubscription = memo(function CalendarSubscription({ slug }: { slug: string }) {
  const i18n = useI18n();
  const t = calendarText(i18n.t);
  const announce = useAnnounce();
  const status = useResource(() => calendarApi.status(slug), [slug]);
  const [link, setLink] = useState<CalendarFeedLink | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [copy, setCopy] = useState<'copied' | 'failed' | null>(null);
  const urlField = useRef<HTMLInputElement>(null);
  const subscribeButton = useRef<HTMLButtonElement>(null);
  // Where focus goes once the change is on screen: the new link, or the subscribe button after a revoke.
  const [focusNext, setFocusNext] = useState<'url' | 'subscribe' | null>(null);
  useEffect(() => {
    if (focusNext === 'url') urlField.current?.focus();
    if (focusNext === 'subscribe') subscribeButton.current?.focus();
    if (focusNext) setFocusNext(null);
  }, [focusNext]);

  async function issue(reset: boolean) {
    if (reset && !window.confirm(t('cal.resetConfirm'))) return;
    setBusy(true);
    setError(null);
    setCopy(null);
    try {
      const issued = await calendarApi.issue(slug);
      setLink(issued);
      status.setData({ subscribed: true, issuedAt: issued.issuedAt });
      announce(t(reset ? 'cal.resetDone' : 'cal.ready'));
      // The link is what the member came for: put them on it (a screen reader reads it out).
      setFocusNext('url');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function revoke() {
    if (!window.confirm(t('cal.revokeConfirm'))) return;
    setBusy(true);
    setError(null);
    try {
      // Already revoked (in another tab): the member's wish holds all the same.
      await calendarApi.revoke(slug).catch((e: unknown) => {
        if (!(e instanceof ApiError && e.code === 'calendar_feed_not_found')) throw e;
      });
      setLink(null);
      status.setData({ subscribed: false, issuedAt: null });
      announce(t('cal.revoked'));
      setFocusNext('subscribe');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function copyLink() {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.httpsUrl);
      setCopy('copied');
      announce(t('cal.copied'));
    } catch {
      // No clipboard permission (or an insecure origin): leave the link selected for Ctrl+C.
      urlField.current?.focus();
      urlField.current?.select();
      setCopy('failed');
    }
  }

  let body: ReactNode;
  if (!status.data) {
    body = status.error ? <LoadError error={status.error} onRetry={status.reload} /> : <Loading />;
  } else if (link) {
    body = (
      <div data-testid="calendar-link">
        <div className="field">
          <label htmlFor="calendar-url">{t('cal.urlLabel')}</label>
          <p className="hint" id="calendar-url-hint">
            {t('cal.urlHint')}
          </p>
          {/* Read-only, not disabled: it stays focusable and selectable. URLs read left to right. */}
          <input
            id="calendar-url"
            ref={urlField}
            type="text"
            readOnly
            dir="ltr"
            className="calendar-url"
            value={link.httpsUrl}
            aria-describedby="calendar-url-hint calendar-personal"
            onFocus={(e) => e.currentTarget.select()}
          />
        </div>
        <div className="actions">
          <button type="button" onClick={() => void copyLink()}>
            {t('cal.copy')}
          </button>
          <a className="button secondary" href={link.webcalUrl}>
            {t('cal.openApp')}
          </a>
          {copy === 'copied' ? (
            <span className="ok" data-testid="calendar-copied">
              {t('cal.copied')}
            </span>
          ) : null}
        </div>
        {copy === 'failed' ? (
          <p className="error" role="alert">
            {t('cal.copyFailed')}
          </p>
        ) : null}
        <p className="notice" id="calendar-personal">
          {t('cal.personal')} {t('cal.shownOnce')}
        </p>
        <p className="hint">{t('cal.howTo')}</p>
      </div>
    );
  } else if (status.data.subscribed && status.data.issuedAt) {
    body = <p>{t('cal.existing', { date: formatInstant(i18n.locale, status.data.issuedAt) })}</p>;
  } else {
    body = (
      <div className="actions">
        <button type="button" ref={subscribeButton} onClick={() => void issue(false)} disabled={busy} aria-describedby="calendar-intro">
          {busy ? t('cal.working') : t('cal.subscribe')}
        </button>
      </div>
    );
  }

  return (
    <div className="calendar-subscription" role="group" aria-labelledby="calendar-title">
      <h3 id="calendar-title">{t('cal.title')}</h3>
      <p className="hint" id="calendar-intro">
        {t('cal.intro')}
      </p>
      {body}
      {status.data?.subscribed ? (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => void issue(true)} disabled={busy}>
            {t('cal.reset')}
          </button>
          <button type="button" className="danger" onClick={() => void revoke()} disabled={busy}>
            {t('cal.revoke')}
          </button>
        </div>
      ) : null}
      <FormError error={error} />
    </div>
  );
});
