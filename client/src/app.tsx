// The application: language, session, live announcements, the page shell and the routes.
// New screens are one <Route> each below, lazily loaded (see the lazy() list) unless tiny; the
// adjudication board and disposition table slot in the same way, plus screens/document/slots.tsx.
import { lazy as reactLazy, Suspense, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, Route, Switch, useLocation, useSearch } from 'wouter';
import { api } from './api/endpoints.ts';
import { AnnouncerProvider, useAnnounce } from './components/announcer.tsx';
import { errorMessage, LoadError, Loading } from './components/errors.tsx';
import { LanguagePicker } from './components/language-picker.tsx';
import { catalogueReady, I18nProvider, initialLocale, isLocale, loadNamespaces, setCurrentLocale, useI18n, type Locale } from './i18n/index.tsx';
import { GroupHomeScreen } from './screens/group-home.tsx';
import { GroupsScreen } from './screens/groups.tsx';
import { MailboxScreen, MailMessageScreen } from './screens/mailbox.tsx';
import { InboundMailScreen } from './screens/inbound-mail.tsx';
import { MembersScreen } from './screens/members.tsx';
import { NotFoundScreen } from './screens/not-found.tsx';
import { ProfileScreen } from './screens/profile.tsx';
import { SignInScreen } from './screens/sign-in.tsx';
import { SessionProvider, useSession } from './session.tsx';

// Screens loaded on demand: the sign-in and group-home bundle carries none of their code, their
// strings (their catalogues, see i18n/translate.ts requireNamespace) or socket.io-client. A screen
// shows once its strings in the reader's language have arrived too.
const lazy: typeof reactLazy = (load) =>
  reactLazy(async () => {
    const screen = await load();
    await catalogueReady();
    return screen;
  });
let documentView: typeof import('./screens/document/document-view.tsx') | null = null;
const loadDocumentView = () =>
  import('./screens/document/document-view.tsx').then(async (m) => {
    await catalogueReady();
    documentView = m;
    return m;
  });
// Opened straight at a document: its screen's code is fetched at once (the page preloads it, see
// server/modules/client-shell) and main.tsx renders once it is in, so the screen renders without
// suspending (a suspended screen is revealed up to 300 ms late) and, with the data the page
// carries, in the very first render.
const LOCALE_KEY = 'convene.locale';
/** Set when the language was chosen while signed out: saved to the profile at the next sign-in. */
const LOCALE_UNSAVED_KEY = 'convene.locale.unsaved';

// The interface's own strings (the core catalogue) in the reader's language come first, beside it.
const firstLocale = initialLocale(storedLocale());
setCurrentLocale(firstLocale);
export const firstScreenReady: Promise<unknown> = Promise.all([
  loadNamespaces(firstLocale, ['core']).catch(() => undefined), // offline: the keys' English shows once it loads
  /^\/groups\/[^/]+\/documents\/[^/]+(\/revisions\/\d+)?\/?$/.test(window.location.pathname)
    ? loadDocumentView().catch(() => undefined) // a failed load is retried (and reported) by the lazy screen
    : undefined,
]);
const LazyDocumentScreen = lazy(() => loadDocumentView().then((m) => ({ default: m.DocumentScreen })));
function DocumentScreen(props: { slug: string; documentId: string; sequence?: number }) {
  return documentView ? <documentView.DocumentScreen {...props} /> : <LazyDocumentScreen {...props} />;
}
const PostRevisionScreen = lazy(() => import('./screens/document/post-revision.tsx').then((m) => ({ default: m.PostRevisionScreen })));
const CompareScreen = lazy(() => import('./screens/document/compare.tsx').then((m) => ({ default: m.CompareScreen })));
const PeriodsScreen = lazy(() => import('./screens/document/periods.tsx').then((m) => ({ default: m.PeriodsScreen })));
const DigestArchiveScreen = lazy(() => import('./screens/digests.tsx').then((m) => ({ default: m.DigestArchiveScreen })));
const DigestScreen = lazy(() => import('./screens/digests.tsx').then((m) => ({ default: m.DigestScreen })));
const NotificationSettingsScreen = lazy(() => import('./screens/notification-settings.tsx').then((m) => ({ default: m.NotificationSettingsScreen })));
// Adjudication: the board, "awaiting my response", the disposition of comments and the
// final report (also public, without signing in, for groups whose outputs are public).
const BoardScreen = lazy(() => import('./screens/adjudication/board.tsx').then((m) => ({ default: m.BoardScreen })));
const AwaitingScreen = lazy(() => import('./screens/adjudication/awaiting.tsx').then((m) => ({ default: m.AwaitingScreen })));
const DispositionTableScreen = lazy(() => import('./screens/adjudication/table.tsx').then((m) => ({ default: m.DispositionTableScreen })));
// Work programme and Member State consultations.
const ProgrammeScreen = lazy(() => import('./screens/work-programme/programme.tsx').then((m) => ({ default: m.ProgrammeScreen })));
const MyConsultationsScreen = lazy(() => import('./screens/work-programme/programme.tsx').then((m) => ({ default: m.MyConsultationsScreen })));
const WorkItemScreen = lazy(() => import('./screens/work-programme/work-item.tsx').then((m) => ({ default: m.WorkItemScreen })));
const ConsultationScreen = lazy(() => import('./screens/work-programme/consultation.tsx').then((m) => ({ default: m.ConsultationScreen })));
const ImportTemplateScreen = lazy(() => import('./screens/document/import-template.tsx').then((m) => ({ default: m.ImportTemplateScreen })));
const FinalReportScreen = lazy(() => import('./screens/adjudication/final-report.tsx').then((m) => ({ default: m.FinalReportScreen })));
// Open consultations: the public page (no account needed) and the conveners' moderation and analysis.
const PublicConsultationScreen = lazy(() => import('./screens/open-consultation/consultation-page.tsx').then((m) => ({ default: m.ConsultationScreen })));
const ManageConsultationScreen = lazy(() =>
  import('./screens/open-consultation/manage-consultation.tsx').then((m) => ({ default: m.ManageConsultationScreen })),
);

function storedLocale(): Locale | null {
  try {
    const v = localStorage.getItem(LOCALE_KEY);
    return isLocale(v) ? v : null;
  } catch {
    return null;
  }
}
function store(key: string, value: string | null) {
  try {
    // Only a change is written: a page's first write to localStorage costs milliseconds.
    if (localStorage.getItem(key) === value) return;
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* private mode */
  }
}
const whenIdle = (task: () => void) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => task(), { timeout: 2000 }) : setTimeout(task, 0));

export function App() {
  return (
    <SessionProvider>
      <LocalisedApp />
    </SessionProvider>
  );
}

function LocalisedApp() {
  const session = useSession();
  const [locale, setLocaleState] = useState<Locale>(firstLocale);
  const [localeError, setLocaleError] = useState<unknown>(null);
  const user = session.user;

  // Signed in: the profile's language wins, unless one was picked while signed out.
  const adoptedFor = useRef<string | null>(null);
  useEffect(() => {
    if (!user || adoptedFor.current === user.id) return;
    adoptedFor.current = user.id;
    let unsaved: string | null = null;
    try {
      unsaved = localStorage.getItem(LOCALE_UNSAVED_KEY);
    } catch {
      /* private mode */
    }
    if (isLocale(unsaved) && unsaved !== user.locale) {
      store(LOCALE_UNSAVED_KEY, null);
      api.updateMe({ locale: unsaved }).then(session.setUser, setLocaleError);
      return;
    }
    store(LOCALE_UNSAVED_KEY, null);
    if (isLocale(user.locale)) {
      setLocaleState(user.locale);
      // Remembered for the next visit's first screen; written once the page has settled, not in
      // the frame that shows this one.
      const locale = user.locale;
      whenIdle(() => store(LOCALE_KEY, locale));
    }
  }, [user, session.setUser]);

  const setLocale = useCallback(
    (next: Locale) => {
      setLocaleState(next);
      setLocaleError(null);
      store(LOCALE_KEY, next);
      if (user) api.updateMe({ locale: next }).then(session.setUser, setLocaleError);
      else store(LOCALE_UNSAVED_KEY, next);
    },
    [user, session.setUser],
  );

  return (
    <I18nProvider locale={locale} setLocale={setLocale}>
      <AnnouncerProvider>
        <Shell localeError={localeError}>
          <Routes />
        </Shell>
      </AnnouncerProvider>
    </I18nProvider>
  );
}

function Shell({ children, localeError }: { children: ReactNode; localeError: unknown }) {
  const { t, tb } = useI18n();
  const session = useSession();
  const announce = useAnnounce();
  const [, navigate] = useLocation();
  const [signOutError, setSignOutError] = useState<unknown>(null);
  // On a phone the navigation and tools fold behind "Menu" (a 200 px header otherwise); a
  // followed link closes it.
  const [menuOpen, setMenuOpen] = useState(false);
  const [location] = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: closes on every change of location
  useEffect(() => setMenuOpen(false), [location]);

  const signOut = async () => {
    setSignOutError(null);
    try {
      await api.signOut();
      session.signedOut();
      navigate('/sign-in');
    } catch (error) {
      setSignOutError(error);
      announce(errorMessage(error, t));
    }
  };
  const user = session.user;
  return (
    <>
      <a className="skip-link" href="#main">
        {t('a11y.skipToMain')}
      </a>
      <header className="site-header" data-menu={menuOpen ? 'open' : 'closed'}>
        <div className="site-header-inner">
          <Link href="/" className="brand">
            {t('app.name')}
          </Link>
          <button
            type="button"
            className="secondary menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="site-nav site-tools"
            onClick={() => setMenuOpen((o) => !o)}
          >
            {t('nav.menu')}
          </button>
          {user ? (
            <nav id="site-nav" aria-label={t('nav.label')}>
              <ul className="nav-list">
                <li>
                  <NavLink href="/">{t('nav.groups')}</NavLink>
                </li>
                <li>
                  <NavLink href="/me/awaiting">{t('nav.awaiting')}</NavLink>
                </li>
                <li>
                  <NavLink href="/me/consultations">{t('nav.consultations')}</NavLink>
                </li>
                <li>
                  <NavLink href="/me">{t('nav.profile')}</NavLink>
                </li>
                {user.isOperator ? (
                  <li>
                    <NavLink href="/mailbox">{t('nav.mailbox')}</NavLink>
                  </li>
                ) : null}
                {user.isOperator ? (
                  <li>
                    <NavLink href="/admin/inbound-mail">{t('nav.inbound')}</NavLink>
                  </li>
                ) : null}
              </ul>
            </nav>
          ) : null}
          <div id="site-tools" className="header-tools">
            <LanguagePicker />
            {user ? (
              <div className="account">
                <span className="hint">{tb('nav.signedInAs', { name: user.name })}</span>
                <button type="button" className="secondary" onClick={signOut}>
                  {t('nav.signOut')}
                </button>
              </div>
            ) : null}
          </div>
        </div>
        {signOutError || localeError ? (
          <p className="error banner" role="alert">
            {errorMessage(signOutError ?? localeError, t)}
          </p>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <p>
          {t('app.name')} · {t('app.tagline')}
        </p>
      </footer>
    </>
  );
}

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const [location] = useLocation();
  // "/me" is the profile; "/me/awaiting" its own entry (the longest matching entry is current).
  const current =
    href === '/'
      ? location === '/' || location.startsWith('/groups')
      : location.startsWith(href) && !(href === '/me' && (location.startsWith('/me/awaiting') || location.startsWith('/me/consultations')));
  return (
    <Link href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

/** Screens that need a session: the sign-in form for signed-out visitors, coming back here after. */
function Signed({ children }: { children: ReactNode }) {
  return (
    <SignedIn>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </SignedIn>
  );
}

function SignedIn({ children }: { children: ReactNode }) {
  const session = useSession();
  const [location] = useLocation();
  switch (session.state.status) {
    case 'loading':
      return <Loading />;
    case 'error':
      return <LoadError error={session.state.error} onRetry={() => void session.refresh()} />;
    case 'signedOut':
      return <SignInScreen next={location} />;
    case 'signedIn':
      return <>{children}</>;
  }
}

function Routes() {
  return (
    <Switch>
      <Route path="/sign-in">
        <SignInScreen next={nextFromQuery()} />
      </Route>
      <Route path="/">
        <Signed>
          <GroupsScreen />
        </Signed>
      </Route>
      <Route path="/groups/:slug">
        {(p) => (
          <Signed>
            <GroupHomeScreen slug={p.slug} />
          </Signed>
        )}
      </Route>
      <Route path="/groups/:slug/members">
        {(p) => (
          <Signed>
            <MembersScreen slug={p.slug} />
          </Signed>
        )}
      </Route>
      <Route path="/groups/:slug/documents/:documentId">
        {(p) => (
          <Signed>
            <DocumentScreen slug={p.slug} documentId={p.documentId} />
          </Signed>
        )}
      </Route>
      <Route path="/groups/:slug/documents/:documentId/revisions/:sequence">
        {(p) => (
          <Signed>
            <DocumentScreen slug={p.slug} documentId={p.documentId} sequence={positive(p.sequence) ?? 1} />
          </Signed>
        )}
      </Route>
      <Route path="/groups/:slug/documents/:documentId/revisions/:sequence/import-comments">
        {(p) => (
          <Signed>
            <ImportTemplateScreen slug={p.slug} documentId={p.documentId} sequence={Number(p.sequence)} />
          </Signed>
        )}
      </Route>
      <Route path="/groups/:slug/documents/:documentId/new-revision">
        {(p) => (
          <Signed>
            <PostRevisionScreen slug={p.slug} documentId={p.documentId} />
          </Signed>
        )}
      </Route>
      <Route path="/groups/:slug/documents/:documentId/compare">
        {(p) => (
          <Signed>
            <CompareRoute slug={p.slug} documentId={p.documentId} />
          </Signed>
        )}
      </Route>
      <Route path="/groups/:slug/documents/:documentId/periods">
        {(p) => (
          <Signed>
            <PeriodsScreen slug={p.slug} documentId={p.documentId} />
          </Signed>
        )}
      </Route>
      <Route path="/groups/:slug/documents/:documentId/adjudication">
        {(p) => (
          <Signed>
            <BoardScreen slug={p.slug} documentId={p.documentId} />
          </Signed>
        )}
      </Route>
      <Route path="/groups/:slug/documents/:documentId/dispositions">
        {(p) => (
          <Signed>
            <DispositionTableScreen slug={p.slug} documentId={p.documentId} />
          </Signed>
        )}
      </Route>
      <Route path="/groups/:slug/documents/:documentId/final-report">
        {(p) => (
          <Signed>
            <FinalReportScreen slug={p.slug} documentId={p.documentId} />
          </Signed>
        )}
      </Route>
      <Route path="/public/groups/:slug/documents/:documentId">{(p) => <FinalReportScreen slug={p.slug} documentId={p.documentId} isPublic />}</Route>
      <Route path="/groups/:slug/digests">
        {(p) => (
          <Signed>
            <DigestArchiveScreen slug={p.slug} />
          </Signed>
        )}
      </Route>
      <Route path="/groups/:slug/digests/:digestId">
        {(p) => (
          <Signed>
            <DigestScreen slug={p.slug} digestId={p.digestId} />
          </Signed>
        )}
      </Route>
      <Route path="/me">
        <Signed>
          <ProfileScreen />
        </Signed>
      </Route>
      <Route path="/me/awaiting">
        <Signed>
          <AwaitingScreen />
        </Signed>
      </Route>
      <Route path="/me/notifications">
        <Signed>
          <NotificationSettingsScreen />
        </Signed>
      </Route>
      <Route path="/mailbox">
        <Signed>
          <MailboxScreen />
        </Signed>
      </Route>
      <Route path="/admin/inbound-mail">
        <Signed>
          <InboundMailScreen />
        </Signed>
      </Route>
      <Route path="/mailbox/:id">
        {(p) => (
          <Signed>
            <MailMessageScreen id={p.id} />
          </Signed>
        )}
      </Route>
      <Route path="/groups/:slug/work-programme">
        {(p) => (
          <Signed>
            <ProgrammeScreen slug={p.slug} />
          </Signed>
        )}
      </Route>
      <Route path="/groups/:slug/work-items/:workItemId">
        {(p) => (
          <Signed>
            <WorkItemScreen slug={p.slug} workItemId={p.workItemId} />
          </Signed>
        )}
      </Route>
      <Route path="/groups/:slug/consultations/:consultationId">
        {(p) => (
          <Signed>
            <ConsultationScreen slug={p.slug} consultationId={p.consultationId} />
          </Signed>
        )}
      </Route>
      <Route path="/me/consultations">
        <Signed>
          <MyConsultationsScreen />
        </Signed>
      </Route>
      <Route path="/consult/:periodId">
        {(p) => (
          <Suspense fallback={<Loading />}>
            <PublicConsultationScreen periodId={p.periodId} />
          </Suspense>
        )}
      </Route>
      <Route path="/groups/:slug/documents/:documentId/periods/:periodId/consultation">
        {(p) => (
          <Signed>
            <ManageConsultationScreen slug={p.slug} documentId={p.documentId} periodId={p.periodId} />
          </Signed>
        )}
      </Route>
      <Route>
        <NotFoundScreen />
      </Route>
    </Switch>
  );
}

/** ?from=1&to=2, followed as it changes (the compare form navigates to new values). */
function CompareRoute({ slug, documentId }: { slug: string; documentId: string }) {
  const search = new URLSearchParams(useSearch());
  return <CompareScreen slug={slug} documentId={documentId} from={positive(search.get('from')) ?? 1} to={positive(search.get('to')) ?? 2} />;
}
function positive(value: string | null | undefined): number | undefined {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

function nextFromQuery(): string | undefined {
  const next = new URLSearchParams(window.location.search).get('next');
  return next?.startsWith('/') && !next.startsWith('//') ? next : undefined;
}
