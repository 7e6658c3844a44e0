// Secrets handed to browsers (session ids, sign-in links, CSRF tokens) are random; the database
// keeps only their HMAC, so a leaked table cannot be replayed.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export const hashToken = (secret: string, token: string): string => createHmac('sha256', secret).update(token).digest('base64url');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
