// The catalogue of server error sentences (locales/<locale>/errors.json): complete in English and
// French for every code the server source can emit (a new AppError code fails here until it is
// translated), the common ones in Arabic, and the sentence chosen and filled for the reader. That
// every locale has every key with the same placeholders is test/unit/i18n/catalogues.test.ts's.
import { beforeAll, describe, expect, it } from 'vitest';
import apiErrorsAr from '../../../locales/ar/errors.json' with { type: 'json' };
import apiErrorsEn from '../../../locales/en/errors.json' with { type: 'json' };
import apiErrorsFr from '../../../locales/fr/errors.json' with { type: 'json' };
import { apiErrorSentence, validationKind } from '../../../client/src/i18n/api-errors.ts';
import { type ApiErrorKey, formatInstant, loadNamespaces, viewerTimeZone } from '../../../client/src/i18n/translate.ts';
import { codesIn, serverErrorCodes } from './server-error-codes.ts';

// "UTC" beside an instant is a core string.
beforeAll(() => Promise.all([loadNamespaces('fr', ['core']), loadNamespaces('ar', ['core'])]));

/** What a participant meets: validation, the deadline, refusals, limits, an expired session or page. */
const COMMON: ApiErrorKey[] = [
  'invalid_request',
  'invalid_request.required',
  'invalid_request.too_long',
  'invalid_request.email',
  'invalid_request.datetime',
  'invalid_request.choice',
  'comment_period_closed',
  'comment_period_not_open',
  'forbidden',
  'not_found',
  'rate_limited',
  'csrf_token_invalid',
  'unauthenticated',
  'internal_error',
];

describe('the catalogue of API error sentences', () => {
  it('has an English and a French sentence for every error code the server can emit', async () => {
    const { codes, unreadable } = await serverErrorCodes();
    expect(unreadable, 'error constructions whose code is not a literal').toEqual([]);
    // The scan itself works: it finds codes made by each kind of construction.
    for (const known of [
      'comment_period_closed',
      'invalid_request',
      'rate_limited',
      'csrf_token_invalid',
      'unauthenticated',
      'forbidden',
      'not_found',
      'bad_request',
      'invalid_json',
      'not_your_comment',
    ]) {
      expect(codes.has(known), known).toBe(true);
    }
    const missing = (catalogue: Partial<Record<string, unknown>>) =>
      [...codes.keys()].filter((code) => !(code in catalogue)).map((code) => `${code} (${codes.get(code)![0]})`);
    expect(missing(apiErrorsEn), 'codes without an English sentence').toEqual([]);
    expect(missing(apiErrorsFr), 'codes without a French sentence').toEqual([]);
  });

  it('lists no code the server no longer emits', async () => {
    const { codes } = await serverErrorCodes();
    const alternative = /\.fallback2?$/;
    expect(Object.keys(apiErrorsEn).filter((key) => !key.startsWith('invalid_request.') && !codes.has(key.replace(alternative, '')))).toEqual([]);
  });

  it('covers in Arabic the errors a participant commonly meets', () => {
    expect(COMMON.filter((key) => !(key in apiErrorsAr))).toEqual([]);
  });

  it('reads codes from every kind of construction and refuses a computed one', () => {
    const source = [
      "throw AppError.conflict('a_conflict', `x ${y('(')}`, { at });",
      "throw AppError.forbidden('Only conveners, editors.');",
      "throw AppError.forbidden(`No, ${x}.`, 'named_refusal');",
      "throw AppError.notFound('That thing');",
      "throw new AppError('built', 403, 'Built.');",
      'throw AppError.unauthorized();',
      "reply.send({ code: 'by_hand', message: 'x' });",
      'throw AppError.badRequest(codeOf(x), "Computed.");',
    ].join('\n');
    const { found, unreadable } = codesIn(source, 'example.ts');
    expect(found.map((f) => f.code)).toEqual(['a_conflict', 'forbidden', 'named_refusal', 'not_found', 'built', 'unauthenticated', 'by_hand']);
    expect(unreadable).toEqual(['example.ts:8: AppError.badRequest(codeOf(x), "Computed."…)']);
  });
});

describe('choosing and filling the sentence', () => {
  it("writes the deadline of a late comment in the reader's zone with UTC beside it", () => {
    const closesAt = '2016-04-25T23:59:00.000Z';
    const text = apiErrorSentence('fr', apiErrorsFr, { code: 'comment_period_closed', message: 'The comment period on revision 1 closed at …', closesAt });
    const utc = `${formatInstant('fr', closesAt, 'UTC')} UTC`;
    const expected = viewerTimeZone() === 'UTC' ? utc : `${formatInstant('fr', closesAt)} (${utc})`;
    expect(text).toBe(`La période de commentaires a pris fin le ${expected} ; rien n’a été enregistré.`);
  });

  it('says what was wrong with a field from the validation issue, numbers written for the locale', () => {
    const body = (issue: object) => ({ code: 'invalid_request', message: 'body.x: …', field: 'body.x', issue });
    expect(apiErrorSentence('fr', apiErrorsFr, body({ code: 'too_small', origin: 'string', minimum: 1 }))).toBe('Remplissez ce champ.');
    expect(apiErrorSentence('fr', apiErrorsFr, body({ code: 'too_big', origin: 'string', maximum: 10_000 }))).toBe('Écrivez au plus 10\u202f000 caractères.');
    expect(apiErrorSentence('ar', apiErrorsAr, body({ code: 'invalid_format', origin: 'string', format: 'datetime' }))).toBe('أدخل تاريخًا ووقتًا.');
    expect(apiErrorSentence('fr', apiErrorsFr, body({ code: 'something_new' }))).toBe('Cette valeur n’est pas valide.');
    expect(apiErrorSentence('fr', apiErrorsFr, { code: 'invalid_request', message: 'body: give at least one of at, kind, label.' })).toBe(
      'Cette valeur n’est pas valide.',
    );
    expect(validationKind({ code: 'too_small', origin: 'string', minimum: 3 })).toBe('too_short');
    expect(validationKind({ code: 'too_small', origin: 'number', minimum: 1 })).toBe('too_small');
    // Text the server cannot store (NUL, unpaired surrogates: plugins/text-input.ts).
    expect(apiErrorSentence('fr', apiErrorsFr, body({ code: 'invalid_characters' }))).toBe(
      'Retirez de ce texte les caractères de contrôle invisibles (un texte collé en contient parfois).',
    );
  });

  it('uses the first alternative whose values the error carries', () => {
    expect(apiErrorSentence('fr', apiErrorsFr, { code: 'rate_limited', message: '…', retryAfterSeconds: 42 })).toBe(
      'Trop de requêtes ; réessayez dans 42 secondes.',
    );
    expect(apiErrorSentence('fr', apiErrorsFr, { code: 'rate_limited', message: '…' })).toBe('Trop de requêtes ; patientez un instant et réessayez.');
    expect(
      apiErrorSentence('fr', apiErrorsFr, { code: 'comment_period_not_open', message: 'No comment period has been opened on revision 2; nothing was stored.' }),
    ).toBe('Aucune période de commentaires n’a été ouverte sur cette révision ; rien n’a été enregistré.');
  });

  it("gives no sentence (the server's English one is shown) for an unknown code, a code the locale lacks, or a value that is missing", () => {
    expect(apiErrorSentence('fr', apiErrorsFr, { code: 'brand_new_code', message: 'Something new.' })).toBeNull();
    const partial = { forbidden: 'لا يمكنك القيام بذلك.' }; // a catalogue still being translated
    expect(apiErrorSentence('ar', partial, { code: 'period_overlaps', message: 'Revision 1 already has…', revision: 1 })).toBeNull();
    expect(apiErrorSentence('fr', apiErrorsFr, { code: 'extension_in_past', message: '…' })).toBeNull();
    expect(apiErrorSentence('fr', apiErrorsFr, { code: 'extension_in_past', message: '…', closesAt: 'not a date' })).toBeNull();
    expect(apiErrorSentence('fr', undefined, { code: 'forbidden', message: 'No.' })).toBeNull();
  });
});
