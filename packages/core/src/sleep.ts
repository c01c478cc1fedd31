/**
 * Wait `ms` milliseconds, or less: the promise resolves at once when
 * `signal` is (or becomes) aborted, so a stopping batch job never sits out a
 * poll or retry delay. It never rejects; callers check `signal.aborted`.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
