// Shapes of the profile routes, shared with the browser client (which imports their types only).
import { z } from 'zod';
import { LOCALES } from '../../../locales/locales.ts';
import { NameText } from '../../lib/schemas.ts';

// The six UN languages (locales/locales.ts): the interface, the e-mails and the server's sentences.
export const Locale = z.enum(LOCALES, { error: `must be one of ${LOCALES.join(', ')}` });
export const ProfileBody = z.strictObject({
  name: NameText(120, { required: true }).optional(),
  affiliation: NameText(160).optional(),
  locale: Locale.optional(),
});
