// One at a time per key, within this process: later callers wait for earlier
// ones. Across processes, callers still need their own guard (versioned
// writes, row locks); this only keeps a process from racing itself.
const tails = new Map<string, Promise<void>>();

// `work` is told whether it had to wait for an earlier caller.
export async function withKeyLock<T>(key: string, work: (waited: boolean) => Promise<T>): Promise<T> {
  const earlier = tails.get(key);
  const previous = earlier ?? Promise.resolve();
  let release!: () => void;
  const tail = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
  tails.set(key, tail);
  await previous;
  try {
    return await work(earlier !== undefined);
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
