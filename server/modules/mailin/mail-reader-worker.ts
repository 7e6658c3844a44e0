// One mail reading thread (mail-reader.ts): parses messages and checks their authentication as
// asked, several at a time; DNS lookups go back to the caller's resolver.
import { parentPort } from 'node:worker_threads';
import { checkWithMailauth, type DnsResolver } from './authentication.ts';
import { readMessage, type FromReader, type ToReader } from './mail-reader.ts';

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
  const raw = Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength);
  const work = m.kind === 'read' ? readMessage(raw) : checkWithMailauth(raw, m.envelope, m.mta, m.dns ? askCaller : undefined);
  work
    .then((value) => post({ kind: 'done', id: m.id, ok: true, value }))
    .catch((err: unknown) => post({ kind: 'done', id: m.id, ok: false, message: err instanceof Error ? err.message : String(err) }));
});
