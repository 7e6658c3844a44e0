// Choosing and filling an error's sentence for a reader: the catalogue's sentence by code, its
// fallback when a value is missing, the server's own English sentence when nothing fits.
import { describe, expect, it } from 'vitest';
import { errorSentence } from '../../../server/lib/error-sentence.ts';
import { formatInstant } from '../../../server/lib/i18n.ts';

describe('errorSentence', () => {
  it('keeps the server’s own sentence for English readers', () => {
    const body = {
      code: 'comment_period_closed',
      message: 'The comment period on revision 2 closed at …; nothing was stored.',
      closesAt: '2016-04-25T23:59:00.000Z',
    };
    expect(errorSentence('en', body)).toEqual({ message: body.message, language: 'en' });
  });

  it('writes an instant of the details for the reader, in UTC or in their zone', () => {
    const body = { code: 'comment_period_closed', message: '…', closesAt: '2016-04-25T23:59:00.000Z' };
    expect(errorSentence('fr', body).message).toBe('La période de commentaires a pris fin le 25 avril 2016 à 23:59 UTC ; rien n’a été enregistré.');
    expect(errorSentence('fr', body, 'Europe/Zurich').message).toContain(formatInstant('fr', body.closesAt, 'Europe/Zurich'));
  });

  it('uses the fallback when the error lacks a value, and numbers are written for the language', () => {
    expect(errorSentence('fr', { code: 'comment_period_not_open', message: 'No comment period has been opened on revision 2; nothing was stored.' })).toEqual({
      message: 'Aucune période de commentaires n’a été ouverte sur cette révision ; rien n’a été enregistré.',
      language: 'fr',
    });
    expect(errorSentence('fr', { code: 'rate_limited', message: '…', retryAfterSeconds: 42 } as never).message).toBe(
      'Trop de requêtes ; réessayez dans 42 secondes.',
    );
    const tooLong = { code: 'invalid_request', message: 'body.body: …', field: 'body.body', issue: { code: 'too_big', origin: 'string', maximum: 10_000 } };
    expect(errorSentence('fr', tooLong as never).message).toBe('Écrivez au plus 10\u202f000 caractères.');
  });

  // (Every catalogue now has every code, which the catalogue test holds: a code unknown to all
  // of them stands for one a translation lacks.)
  it('keeps the server’s English sentence for a code the catalogues lack or a missing value', () => {
    expect(errorSentence('fr', { code: 'brand_new_code', message: 'Something new.' })).toEqual({ message: 'Something new.', language: 'en' });
    expect(errorSentence('fr', { code: 'extension_in_past', message: 'The new deadline … has already passed.' }).language).toBe('en');
    expect(errorSentence('fr', { code: 'extension_in_past', message: 'x', closesAt: 'not a date' } as never).message).toBe('x');
  });
});
