// Time-ordered ids (UUIDv7, RFC 9562) for rows inserted with raw SQL, matching the
// @default(uuid(7)) that Prisma generates for the same columns. Node's own generator draws from a
// cached entropy pool (randomBytes per id showed up in the comment POST's profile).
import { randomUUIDv7 } from 'node:crypto';

export function uuidv7(): string {
  return randomUUIDv7();
}
