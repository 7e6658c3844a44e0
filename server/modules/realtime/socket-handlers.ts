// What a connected client may send: `subscribe` and `unsubscribe`, each with an acknowledgement.
// Every message passes a per-connection token bucket, a size limit and a known-event check first;
// a bad message gets `{ ok: false, code, message }` (or a `rejected` event when it asked for no
// acknowledgement), joins nothing, and the connection stays open.
import type { Socket } from 'socket.io';
import { z } from 'zod';
import { AppError } from '../../lib/app-error.ts';
import { errorSentence } from '../../lib/error-sentence.ts';
import { socketLocale } from './socket-locale.ts';
import type { Config } from '../../config.ts';
import type { FastifyBaseLogger } from 'fastify';
import { TokenBucket } from './token-bucket.ts';
import type { FollowerData, RealtimeHub } from './realtime-hub.ts';

const SubscribeMessage = z.strictObject({
  kind: z.enum(['group', 'document', 'public']),
  /** A group's URL name (group, public) or a document id. */
  id: z.string().min(1).max(200),
  /** The last sequence number the client saw on this stream; omit on a first visit. */
  since: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
});
const UnsubscribeMessage = z.strictObject({ stream: z.string().min(1).max(250) });

type Ack = (answer: unknown) => void;
interface Rejection {
  code: string;
  message: string;
}

const problem = (code: string, message: string) => ({ ok: false as const, code, message });

function describe(err: unknown, log: FastifyBaseLogger): Rejection {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  if (err instanceof z.ZodError) {
    const issue = err.issues[0];
    return { code: 'invalid_payload', message: `${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'is not valid'}.` };
  }
  log.error({ err }, 'realtime handler failed');
  return { code: 'internal_error', message: 'Something went wrong on the server; try again.' };
}

export function attachSocketHandlers(socket: Socket, hub: RealtimeHub, config: Config, log: FastifyBaseLogger) {
  const limits = config.limits.realtime;
  const bucket = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);

  const handlers: Record<string, (payload: unknown) => Promise<unknown>> = {
    subscribe: async (payload) => {
      const message = SubscribeMessage.parse(payload);
      if (socket.nsp === hub.publicOutputs && message.kind !== 'public') {
        throw new AppError('not_public', 403, 'Without signing in, only the published outputs of public groups can be followed.');
      }
      return hub.follow(socket, { kind: message.kind, id: message.id }, message.since ?? null);
    },
    unsubscribe: async (payload) => {
      const { stream } = UnsubscribeMessage.parse(payload);
      if (!hub.unfollow(socket, stream)) throw new AppError('not_subscribed', 404, 'This connection does not follow that stream.');
      return { ok: true, stream };
    },
  };

  // Refusals in the user's language (their setting, else the handshake's Accept-Language), as HTTP errors are.
  const locale = socketLocale(socket);
  const worded = (rejection: Rejection): Rejection => ({ ...rejection, message: errorSentence(locale, rejection).message });
  const reject = (event: string, ack: Ack | null, rejection: Rejection) => {
    if (ack) ack(problem(rejection.code, worded(rejection).message));
    else socket.emit('rejected', { event, ...worded(rejection) });
  };

  socket.use((packet, next) => {
    const [event, ...args] = packet as [unknown, ...unknown[]];
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : null;
    const name = typeof event === 'string' ? event.slice(0, 100) : String(event);
    if (!bucket.take()) {
      // Dropped. Only an explicit acknowledgement is answered, so a flood is not echoed back.
      if (ack)
        ack(problem('rate_limited', worded({ code: 'rate_limited', message: `Too many messages; at most ${limits.messagesPerSecond} per second.` }).message));
      return;
    }
    if (!Object.hasOwn(handlers, name))
      return reject(name, ack, { code: 'unknown_event', message: `"${name}" is not something this server understands; send subscribe or unsubscribe.` });
    let size = Infinity;
    try {
      size = Buffer.byteLength(JSON.stringify(args) ?? '');
    } catch {
      /* cyclic or binary: too large by definition */
    }
    if (size > limits.messageBytes) return reject(name, ack, { code: 'payload_too_large', message: `A message may be at most ${limits.messageBytes} bytes.` });
    if (args.length > 1) return reject(name, ack, { code: 'invalid_payload', message: 'Send one object and, optionally, an acknowledgement callback.' });
    handlers[name]!(args[0]).then(
      (answer) => ack?.(answer),
      (err: unknown) => reject(name, ack, describe(err, log)),
    );
    void next; // handled here: the packet is not passed on to listeners
  });

  socket.on('disconnect', () => hub.left(socket.data as FollowerData));
}
