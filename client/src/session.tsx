// Who is signed in: read once from GET /api/auth/session (which also hands out the CSRF token
// for writes, and answers with no user when nobody is), updated after profile edits, cleared on
// sign-out. A page that carries the answer
// (server/modules/client-shell) starts signed in, without a render in the "loading" state.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { api, type Self } from './api/endpoints.ts';
import { setCsrfToken, urlOf } from './api/http.ts';
import { takePrefetched } from './api/prefetched.ts';
import { ROUTES } from './api/routes.ts';

export type SessionState = { status: 'loading' } | { status: 'signedOut' } | { status: 'signedIn'; user: Self } | { status: 'error'; error: unknown };

interface SessionApi {
  state: SessionState;
  user: Self | null;
  refresh: () => Promise<void>;
  setUser: (user: Self) => void;
  signedOut: () => void;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>(sessionFromPage);
  const known = useRef(state.status !== 'loading');
  const refresh = useCallback(async () => {
    try {
      const { user, csrfToken } = await api.session();
      setCsrfToken(csrfToken);
      setState(user ? { status: 'signedIn', user } : { status: 'signedOut' });
    } catch (error) {
      setCsrfToken(null);
      setState({ status: 'error', error });
    }
  }, []);
  useEffect(() => {
    if (known.current) {
      known.current = false;
      return;
    }
    void refresh();
  }, [refresh]);
  const value: SessionApi = {
    state,
    user: state.status === 'signedIn' ? state.user : null,
    refresh,
    setUser: useCallback((user: Self) => setState({ status: 'signedIn', user }), []),
    signedOut: useCallback(() => {
      setCsrfToken(null);
      setState({ status: 'signedOut' });
    }, []),
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

function sessionFromPage(): SessionState {
  const view = takePrefetched(urlOf(ROUTES.session)) as Awaited<ReturnType<typeof api.session>> | undefined;
  if (!view) return { status: 'loading' };
  setCsrfToken(view.csrfToken);
  return view.user ? { status: 'signedIn', user: view.user } : { status: 'signedOut' };
}

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
