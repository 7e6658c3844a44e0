// The mail-intake bench's SMTP client, in a process of its own (as the HTTP benches' load
// generators are): sharing the receiver's event loop, its own SMTP turns waited behind the work
// being measured, and its CPU counted in the receiver's. Started once by the bench (fork, IPC);
// each message from the parent is one delivery run: `{ port, connections, messages }`, answered
// `{ ok: true }` once every message got its "250" (or `{ ok: false, error }`).
import nodemailer, { type SendMailOptions } from 'nodemailer';

export interface DeliveryRun {
  port: number;
  connections: number;
  messages: SendMailOptions[];
}

async function deliverAll({ port, connections, messages }: DeliveryRun) {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: connections,
    maxMessages: Infinity,
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
  });
  try {
    await Promise.all(messages.map((m) => transport.sendMail(m)));
  } finally {
    transport.close();
  }
}

process.on('message', (run: DeliveryRun) => {
  deliverAll(run).then(
    () => process.send!({ ok: true }),
    (err: unknown) => process.send!({ ok: false, error: String((err as Error)?.message ?? err) }),
  );
});
process.send!({ ready: true });
