// Text that PostgreSQL cannot store as it is: NUL (U+0000, refused by text columns) and unpaired
// UTF-16 surrogates (not Unicode at all: refused inside JSON, silently replaced elsewhere). Only a
// broken or hostile client sends either; every request's body, query and path parameters are
// checked before validation, so the answer is a 400 naming the field, never a 500 from the database.
// Input read later by a route itself (a multipart field) is checked there with requireStorableText.
import fp from 'fastify-plugin';
import { AppError } from '../lib/app-error.ts';

/** The path of the first string in `value` that is not storable text ('' for `value` itself), or null. */
export function findUnstorableText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') || !value.isWellFormed() ? path : null;
  // Parsed JSON, form and query values only: a Buffer (an upload) is bytes, not text.
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return null;
  for (const [key, item] of Object.entries(value)) {
    if (findUnstorableText(key) !== null) return path ? `${path}.${key}` : key;
    const found = findUnstorableText(item, path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

/** The validation issue's code (as zod's are, see plugins/errors.ts): the error's own code is invalid_request. */
const ISSUE = 'invalid_characters';

/** Throws the 400 when `value` holds unstorable text; `where` names it when the text is `value` itself. */
export function requireStorableText(value: unknown, where: string): void {
  const found = findUnstorableText(value);
  if (found === null) return;
  const field = found || where;
  throw AppError.badRequest('invalid_request', `${field}: text may not contain NUL characters or unpaired surrogates.`, { field, issue: { code: ISSUE } });
}

export default fp(
  async (app) => {
    app.addHook('preValidation', async (request) => {
      requireStorableText(request.body, 'body');
      requireStorableText(request.query, 'querystring');
      requireStorableText(request.params, 'params');
    });
  },
  { name: 'text-input' },
);
