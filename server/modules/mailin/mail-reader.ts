// Reading an inbound message (postal-mime, then the reply's own text by email-reply-parser) and
// checking where it came from (mailauth: DKIM, SPF, DMARC) are the CPU-heavy part of processing a
// reply: about half of its CPU in bench/mail-intake.bench.ts. They run in worker threads, so that the
// event loop, which also holds the SMTP sessions, stores raw messages and writes the records, keeps
// its time for that: in a burst, processing on the event loop alone made receipt wait behind it.
//
// A thread reads and checks; every decision stays with the caller. DNS lookups of the checks are
// asked of the caller's resolver (its cache, and a test's stub with its own keys), by message.
// MAIL_INBOUND_THREADS=0 does the same work on the event loop.
import { Worker } from 'node:worker_threads';
import { checkWithMailauth, type Authentication, type DnsResolver } from './authentication.ts';
import { parseMail, replyText, type ReadableMail } from './read-mail.ts';

export interface ReadMessage {
  mail: ReadableMail;
  /** The reply's own text (quotes and signature removed); empty when nothing is left. */
  text: string;
}

export interface Envelope {
  ip: string | null;
  helo: string | null;
  sender: string | null;
}

export interface MailReader {
  read(raw: Buffer): Promise<ReadMessage>;
  authenticate(raw: Buffer, envelope: Envelope, mta: string): Promise<Authentication>;
  close(): Promise<void>;
}

/** Parses the message and reads its reply text; the result holds no attachment contents (only their names are used). */
export async function readMessage(raw: Buffer): Promise<ReadMessage> {
  const mail = await parseMail(raw);
  return { mail, text: replyText(mail) };
}

/**
 * What the caller asks of a thread, and what it answers (mail-reader-worker.ts). Tasks asked in the
 * same turn of the event loop (a batch's messages) go in one message and are answered in one: a
 * message per task cost the event loop more than the copying.
 */
export type ReaderTask =
  | { kind: 'read'; id: number; raw: Uint8Array }
  | { kind: 'authenticate'; id: number; raw: Uint8Array; envelope: Envelope; mta: string; dns: boolean };
export type TaskOutcome = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };
export type ToReader =
  | { kind: 'tasks'; tasks: ReaderTask[] }
  | { kind: 'dns'; id: number; ok: true; answer: unknown }
  | { kind: 'dns'; id: number; ok: false; code: string | undefined; message: string };
export type FromReader = { kind: 'done'; outcomes: TaskOutcome[] } | { kind: 'dns'; id: number; name: string; rrtype: string };

/** On the event loop: the same work, with no thread. */
export function inlineReader(resolver: () => DnsResolver | undefined): MailReader {
  return {
    read: readMessage,
    authenticate: (raw, envelope, mta) => checkWithMailauth(raw, envelope, mta, resolver()),
    close: async () => {},
  };
}

interface Thread {
  worker: Worker;
  pending: Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>;
  /** Tasks asked this turn, sent together at its end. */
  outbox: { tasks: ReaderTask[]; transfer: ArrayBuffer[] } | null;
}

/**
 * `threads` worker threads, started at first use; each task goes to the least busy. A thread that
 * fails (or is stopped) fails its tasks (their jobs retry them) and is started afresh for the next.
 */
export function mailReader(options: { threads: number; resolver: () => DnsResolver | undefined }): MailReader {
  if (options.threads <= 0) return inlineReader(options.resolver);
  const threads: (Thread | null)[] = Array.from({ length: options.threads }, () => null);
  let nextId = 1;
  let closed = false;

  function start(slot: number): Thread {
    const worker = new Worker(new URL('./mail-reader-worker.ts', import.meta.url));
    // Idle threads do not keep the process alive; the pool, sockets and timers decide that.
    worker.unref();
    const thread: Thread = { worker, pending: new Map(), outbox: null };
    const post = (message: ToReader) => worker.postMessage(message);
    worker.on('message', (m: FromReader) => {
      if (m.kind === 'dns') {
        const resolver = options.resolver();
        Promise.resolve()
          .then(() => resolver!(m.name, m.rrtype))
          .then(
            (answer) => post({ kind: 'dns', id: m.id, ok: true, answer }),
            (err: unknown) =>
              post({ kind: 'dns', id: m.id, ok: false, code: (err as NodeJS.ErrnoException)?.code, message: String((err as Error)?.message ?? err) }),
          );
        return;
      }
      for (const outcome of m.outcomes) {
        const task = thread.pending.get(outcome.id);
        if (!task) continue;
        thread.pending.delete(outcome.id);
        if (outcome.ok) task.resolve(outcome.value);
        else task.reject(new Error(outcome.message));
      }
    });
    const fail = (err: Error) => {
      if (threads[slot] === thread) threads[slot] = null;
      for (const task of thread.pending.values()) task.reject(err);
      thread.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the mail reading thread stopped (exit code ${code})`)));
    threads[slot] = thread;
    return thread;
  }

  function run<T>(raw: Buffer, task: (id: number, raw: Uint8Array) => ReaderTask): Promise<T> {
    if (closed) return Promise.reject(new Error('mail reading has stopped'));
    let slot = 0;
    for (let i = 1; i < threads.length; i++) if ((threads[i]?.pending.size ?? 0) < (threads[slot]?.pending.size ?? 0)) slot = i;
    const thread = threads[slot] ?? start(slot);
    const id = nextId++;
    // A copy of the message's bytes, handed over to the thread (not copied again).
    const copy = new Uint8Array(raw);
    if (!thread.outbox) {
      const outbox = { tasks: [] as ReaderTask[], transfer: [] as ArrayBuffer[] };
      thread.outbox = outbox;
      setImmediate(() => {
        if (thread.outbox === outbox) thread.outbox = null;
        if (threads[slot] === thread) thread.worker.postMessage({ kind: 'tasks', tasks: outbox.tasks } satisfies ToReader, outbox.transfer);
      });
    }
    thread.outbox.tasks.push(task(id, copy));
    thread.outbox.transfer.push(copy.buffer);
    return new Promise<T>((resolve, reject) => {
      thread.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
  }

  return {
    read: (raw) => run<ReadMessage>(raw, (id, copy) => ({ kind: 'read', id, raw: copy })),
    authenticate: (raw, envelope, mta) =>
      run<Authentication>(raw, (id, copy) => ({ kind: 'authenticate', id, raw: copy, envelope, mta, dns: options.resolver() !== undefined })),
    async close() {
      closed = true;
      await Promise.all(threads.map((t) => t?.worker.terminate()));
    },
  };
}
