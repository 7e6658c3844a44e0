// Shapes of the profile routes, shared with the browser client (which imports their types only).
import { z } from 'zod';
import { NameText } from '../../lib/schemas.ts';

export const Locale = z.enum(['en', 'fr', 'ar'], { error: 'must be en, fr or ar' });
export const ProfileBody = z.strictObject({
  name: NameText(120, { required: true }).optional(),
  affiliation: NameText(160).optional(),
  locale: Locale.optional(),
});
