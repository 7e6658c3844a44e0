// Group commit: writes that arrive while earlier ones are still in the database wait for them and
// then go together, as ONE statement that commits once. Under load this is what makes a hot write
// cheap (one round trip, one commit, one lock on each shared row, one NOTIFY flush for many
// writes); at rest nothing waits, because a write that finds no batch in flight goes at once.
//
// A batch that fails as a whole (a constraint one item broke, a lost connection) is retried one
// item at a time, so each caller gets its own outcome and no write fails for its neighbour's sake.

export interface GroupCommitOptions<I, O> {
  /** Writes `items` in one statement; answers one outcome per item, in order. */
  write: (items: I[]) => Promise<O[]>;
  /** Most items in one statement (bounds the statement's size and each caller's wait). */
  maxBatch: number;
  /** Batches in the database at the same time; the others queue and coalesce. */
  maxInFlight: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
}

export function groupCommit<I, O>(options: GroupCommitOptions<I, O>): (item: I) => Promise<O> {
  const queue: Pending<I, O>[] = [];
  let inFlight = 0;

  const settle = async (batch: Pending<I, O>[]) => {
    try {
      const outcomes = await options.write(batch.map((p) => p.item));
      if (outcomes.length !== batch.length) throw new Error(`group commit: ${outcomes.length} outcomes for ${batch.length} items`);
      for (const [i, p] of batch.entries()) p.resolve(outcomes[i]!);
    } catch (err) {
      if (batch.length === 1) batch[0]!.reject(err);
      else for (const p of batch) await settle([p]);
    }
  };

  const drain = () => {
    while (inFlight < options.maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, options.maxBatch);
      inFlight++;
      void settle(batch).finally(() => {
        inFlight--;
        drain();
      });
    }
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      drain();
    });
}
