// One mail reading thread (mail-reader.ts): parses messages and checks their authentication as
// asked, several at a time; DNS lookups go back to the caller's resolver.
import { parentPort } from 'node:worker_threads';
import { checkWithMailauth, type DnsResolver } from './authentication.ts';
import { readMessage, type FromReader, type ReaderTask, type TaskOutcome, type ToReader } from './mail-reader.ts';

const port = parentPort!;
const post = (message: FromReader) => port.postMessage(message);

const lookups = new Map<number, { resolve: (answer: unknown) => void; reject: (err: Error) => void }>();
let nextLookup = 1;
const askCaller: DnsResolver = (name, rrtype) =>
  new Promise((resolve, reject) => {
    const id = nextLookup++;
    lookups.set(id, { resolve, reject });
    post({ kind: 'dns', id, name, rrtype });
  });

port.on('message', (m: ToReader) => {
  if (m.kind === 'dns') {
    const lookup = lookups.get(m.id);
    lookups.delete(m.id);
    // mailauth tells "no such record" from "no DNS" by the error's code.
    if (m.ok) lookup?.resolve(m.answer);
    else lookup?.reject(Object.assign(new Error(m.message), { code: m.code }));
    return;
  }
  // Together, as asked: answered in one message once all are done.
  void Promise.all(m.tasks.map(run)).then(answer);
});

/** All outcomes in one message; should one not cross (it cannot be cloned), each goes alone, that one as a failure. */
function answer(outcomes: TaskOutcome[]): void {
  try {
    post({ kind: 'done', outcomes });
  } catch {
    for (const outcome of outcomes) {
      try {
        post({ kind: 'done', outcomes: [outcome] });
      } catch (err) {
        post({ kind: 'done', outcomes: [{ id: outcome.id, ok: false, message: `the result could not be passed on: ${(err as Error).message}` }] });
      }
    }
  }
}

async function run(task: ReaderTask): Promise<TaskOutcome> {
  try {
    const raw = Buffer.from(task.raw.buffer, task.raw.byteOffset, task.raw.byteLength);
    const value = task.kind === 'read' ? await readMessage(raw) : await checkWithMailauth(raw, task.envelope, task.mta, task.dns ? askCaller : undefined);
    return { id: task.id, ok: true, value };
  } catch (err) {
    return { id: task.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}
