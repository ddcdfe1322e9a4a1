/**
 * Runs `work` and answers no sooner than `minMs` after the start, so how
 * long an answer takes does not tell which branch ran (an address with an
 * account, or without).
 */
export async function noSoonerThan<T>(minMs: number, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    const wait = started + minMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
