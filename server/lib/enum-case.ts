// Case conversion at the edge. The API speaks lower-case names ('technical', 'public_outputs');
// Prisma's enums are UPPER_SNAKE ('TECHNICAL', 'PUBLIC_OUTPUTS'). Request schemas convert on the
// way in (`enumIn`), presenters on the way out (`lower`), so use cases only ever see Prisma's
// values and no module keeps its own converter.
import { z } from 'zod';

/** 'public_outputs' → 'PUBLIC_OUTPUTS', typed, so the result is assignable to the Prisma enum. */
export const upper = <T extends string>(v: T) => v.toUpperCase() as Uppercase<T>;

/** 'PUBLIC_OUTPUTS' → 'public_outputs', typed: what presenters send. */
export const lower = <T extends string>(v: T) => v.toLowerCase() as Lowercase<T>;

/**
 * A request field that names a Prisma enum value in lower case: validated against `names` (the
 * OpenAPI document lists them as the API spells them) and parsed to the Prisma value.
 */
export function enumIn<const T extends readonly [string, ...string[]]>(names: T, params?: Parameters<typeof z.enum>[1]) {
  return z.enum(names, params).transform((v) => upper(v));
}
