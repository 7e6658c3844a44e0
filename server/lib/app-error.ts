// The one error type. Every error a client can cause is an AppError with a stable machine code
// (snake_case) and a sentence a person understands; the error handler turns it into
// `{ code, message }` with its status. Anything else is a bug and becomes a 500 without details.
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  /** Extra machine-readable details for the client (e.g. the current state on a 409). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, status: number, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.details = details;
  }

  static badRequest(code: string, message: string, details?: Record<string, unknown>) {
    return new AppError(code, 400, message, details);
  }
  static unauthorized(message = 'Sign in to continue.') {
    return new AppError('unauthenticated', 401, message);
  }
  static forbidden(message: string, code = 'forbidden') {
    return new AppError(code, 403, message);
  }
  static notFound(what: string, code = 'not_found') {
    return new AppError(code, 404, `${what} was not found.`);
  }
  static conflict(code: string, message: string, details?: Record<string, unknown>) {
    return new AppError(code, 409, message, details);
  }
  static gone(code: string, message: string) {
    return new AppError(code, 410, message);
  }
  static tooLarge(code: string, message: string, details?: Record<string, unknown>) {
    return new AppError(code, 413, message, details);
  }
  static unsupportedMediaType(code: string, message: string) {
    return new AppError(code, 415, message);
  }
  static unprocessable(code: string, message: string, details?: Record<string, unknown>) {
    return new AppError(code, 422, message, details);
  }
  static tooManyRequests(message: string, retryAfterSeconds?: number) {
    return new AppError('rate_limited', 429, message, retryAfterSeconds ? { retryAfterSeconds } : undefined);
  }
}
