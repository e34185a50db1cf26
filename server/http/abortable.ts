/**
 * Iterates an async iterable until it ends or `signal` fires, whichever comes first. A generator that
 * is stuck awaiting something (a hung LLM call) cannot hold a stream open past its deadline this way.
 */
export async function* abortable<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<"aborted">((resolve) => {
    onAbort = () => resolve("aborted");
    if (signal.aborted) resolve("aborted");
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    for (;;) {
      const pending = it.next();
      // If the deadline wins, the abandoned promise may still reject later: that must not crash the process.
      pending.catch(() => {});
      const next = await Promise.race([pending, aborted]);
      if (next === "aborted" || next.done) return;
      yield next.value;
    }
  } finally {
    signal.removeEventListener("abort", onAbort!);
    // Ask the source to stop; not awaited, as a source stuck in an await would only answer later.
    void it.return?.(undefined)?.catch(() => {});
  }
}
