// Shapes of the profile routes, shared with the browser client (which imports their types only).
import { z } from 'zod';

export const Locale = z.enum(['en', 'fr', 'ar'], { error: 'must be en, fr or ar' });
export const ProfileBody = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(120).optional(),
  affiliation: z.string().trim().max(160).optional(),
  locale: Locale.optional(),
});
