// The one place that talks HTTP to the server: JSON in and out, the CSRF token on writes, and
// every failure turned into an ApiError carrying the server's `code`, `message` and `field`.
import { takePrefetched } from './prefetched.ts';
import { pathOf, type Route } from './routes.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The request field the server blamed, e.g. "body.email" (validation errors). */
  readonly field: string | undefined;
  /** The whole error body: some errors carry a result (e.g. invitations nobody could receive). */
  readonly body: unknown;
  constructor(status: number, code: string, message: string, field?: string, body?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.body = body;
  }
}

let csrfToken: string | null = null;
/** Set from GET /api/auth/session; sent as x-csrf-token on every write. */
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

export interface RequestOptions {
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** A multipart body (file uploads); the browser sets its content type with the boundary. */
  form?: FormData;
  signal?: AbortSignal;
}

export function urlOf(route: Route, options: Pick<RequestOptions, 'params' | 'query'> = {}): string {
  const url = pathOf(route[1], options.params);
  const query = Object.entries(options.query ?? {}).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '');
  return query.length ? `${url}?${new URLSearchParams(query.map(([k, v]) => [k, String(v)]))}` : url;
}

export async function request<T>(route: Route, options: RequestOptions = {}): Promise<T> {
  const [method] = route;
  const url = urlOf(route, options);
  if (method === 'GET') {
    const prefetched = takePrefetched(url);
    if (prefetched !== undefined) return prefetched as T;
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      signal: options.signal,
      body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    // No server answer at all: the screen shows its own translated sentence for this code.
    throw new ApiError(0, 'network_error', '');
  }
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const body = (data ?? {}) as { code?: unknown; message?: unknown; field?: unknown };
    throw new ApiError(
      response.status,
      typeof body.code === 'string' ? body.code : 'http_error',
      typeof body.message === 'string' ? body.message : '',
      typeof body.field === 'string' ? body.field : undefined,
      data,
    );
  }
  return data as T;
}
