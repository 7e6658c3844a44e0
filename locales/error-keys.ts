// Which key of the errors catalogue words a 400 invalid_request: the zod issue the server
// describes in the error body refines it (`invalid_request.<kind>`). Shared by the server, which
// words its errors in the caller's language, and the browser client, which words them in the
// reader's.

/** What kind of validation error a 400 invalid_request is, from the zod issue in its body. */
export function validationKind(issue: unknown): string | null {
  if (typeof issue !== 'object' || issue === null) return null;
  const { code, origin, format, minimum } = issue as { code?: unknown; origin?: unknown; format?: unknown; minimum?: unknown };
  switch (code) {
    case 'too_small':
      return origin === 'string' ? (typeof minimum === 'number' && minimum > 1 ? 'too_short' : 'required') : 'too_small';
    case 'too_big':
      return origin === 'string' ? 'too_long' : 'too_big';
    case 'invalid_format':
      return format === 'email' ? 'email' : format === 'datetime' ? 'datetime' : 'format';
    case 'invalid_value':
    case 'invalid_union':
      return 'choice';
    case 'invalid_type':
      return 'type';
    case 'unrecognized_keys':
      return 'unknown_field';
    case 'invalid_characters':
      return 'characters';
    default:
      return null;
  }
}
