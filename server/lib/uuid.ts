// Time-ordered ids (UUIDv7, RFC 9562) for rows inserted with raw SQL, matching the
// @default(uuid(7)) that Prisma generates for the same columns. Node's own generator draws from a
// cached entropy pool (randomBytes per id showed up in the comment POST's profile).
import { randomUUIDv7 } from 'node:crypto';

export function uuidv7(): string {
  return randomUUIDv7();
}

/** The millisecond of a UUIDv7 (its first 48 bits). */
export const uuidv7Time = (id: string) => Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

/** The smallest UUIDv7 of millisecond `ms`: ids of that millisecond and later sort at or above it. */
export const uuidv7Floor = (ms: number) => {
  const hex = ms.toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
};
