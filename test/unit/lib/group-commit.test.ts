import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../../server/lib/group-commit.ts';

/** A write function whose batches the test releases by hand. */
function controlledWriter(options: { maxBatch?: number; maxInFlight?: number; fails?: (item: number) => boolean } = {}) {
  const batches: number[][] = [];
  const release: Array<() => void> = [];
  const write = groupCommit<number, string>({
    maxBatch: options.maxBatch ?? 100,
    maxInFlight: options.maxInFlight ?? 1,
    write: async (items) => {
      batches.push(items);
      await new Promise<void>((resolve) => release.push(resolve));
      if (items.some((i) => options.fails?.(i))) throw new Error(`batch ${items.join(',')} failed`);
      return items.map((i) => `done ${i}`);
    },
  });
  const flush = async () => {
    for (let round = 0; round < 50 && release.length > 0; round++) {
      for (const r of release.splice(0)) r();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { write, batches, flush };
}

describe('groupCommit', () => {
  it('sends a write at once, alone, when nothing is in flight', async () => {
    const w = controlledWriter();
    const done = w.write(1);
    expect(w.batches).toEqual([[1]]);
    await w.flush();
    await expect(done).resolves.toBe('done 1');
  });

  it('holds writes that arrive while a batch is in flight and sends them together as the next batch, each caller getting its own outcome', async () => {
    const w = controlledWriter();
    const all = [1, 2, 3, 4].map((i) => w.write(i));
    expect(w.batches).toEqual([[1]]);
    await w.flush();
    expect(w.batches).toEqual([[1], [2, 3, 4]]);
    await expect(Promise.all(all)).resolves.toEqual(['done 1', 'done 2', 'done 3', 'done 4']);
  });

  it('keeps at most maxInFlight batches in the database and at most maxBatch items in one', async () => {
    const w = controlledWriter({ maxBatch: 2, maxInFlight: 2 });
    const all = [1, 2, 3, 4, 5, 6, 7].map((i) => w.write(i));
    expect(w.batches).toEqual([[1], [2]]);
    await w.flush();
    expect(w.batches).toEqual([[1], [2], [3, 4], [5, 6], [7]]);
    expect(await Promise.all(all)).toHaveLength(7);
  });

  it('retries a failed batch one item at a time, so only the item that fails is refused', async () => {
    const w = controlledWriter({ fails: (i) => i === 3 });
    const all = [1, 2, 3, 4].map((i) =>
      w.write(i).then(
        (v) => v,
        (e: Error) => e.message,
      ),
    );
    await w.flush();
    expect(w.batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
    expect(await Promise.all(all)).toEqual(['done 1', 'done 2', 'batch 3 failed', 'done 4']);
  });

  it('treats a batch whose outcomes do not match its items as failed, and retries each item alone', async () => {
    const write = groupCommit<number, number>({ maxBatch: 10, maxInFlight: 1, write: async (items) => (items.length > 1 ? items.slice(1) : items) });
    const all = [1, 2, 3].map((i) => write(i));
    await expect(Promise.all(all)).resolves.toEqual([1, 2, 3]);
  });
});
