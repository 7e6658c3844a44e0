// The language a live connection's refusals and notices are worded in: the signed-in user's
// setting, else the handshake's Accept-Language, else English (as HTTP errors are).
import type { Socket } from 'socket.io';
import { errorSentence } from '../../lib/error-sentence.ts';
import { negotiateLocale, type Locale } from '../../lib/i18n.ts';

export function socketLocale(socket: Socket): Locale {
  const accepted = socket.handshake.headers['accept-language'];
  return negotiateLocale(Array.isArray(accepted) ? accepted.join(',') : accepted, (socket.data as { locale?: string | null } | undefined)?.locale);
}

/** A notice or refusal `{ code, message }` worded for the connection's reader. */
export function wordedFor<T extends { code: string; message: string }>(socket: Socket, notice: T): T {
  return { ...notice, message: errorSentence(socketLocale(socket), notice).message };
}
