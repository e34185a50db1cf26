/**
 * The timeouts every LLM call runs under, whichever provider: LLM_TIMEOUT_MS bounds the wait for the
 * first piece of text and every silence after it, and the whole answer may take at most
 * LIMITS.llmTotalFactor times that. A late model is aborted and an LlmTimeoutError thrown, which the
 * pipeline answers with the extractive composer.
 */
import { LIMITS } from "../../config/limits.ts";

export class LlmTimeoutError extends Error {
  override name = "LlmTimeoutError";
}

export interface TimedOptions {
  timeoutMs: number;
  /** Who is waited for, in the error message: the endpoint's URL or the model file's name. */
  source: string;
  /** The caller's signal (the request was aborted or its deadline passed). */
  signal?: AbortSignal;
}

/**
 * Streams the text `open` produces under the timeouts. `open` gets a signal that fires on a timeout,
 * on the caller's abort and when the consumer stops early; it must stop on it.
 */
export async function* timedStream(
  open: (signal: AbortSignal) => AsyncIterable<string> | Promise<AsyncIterable<string>>,
  opts: TimedOptions,
): AsyncGenerator<string> {
  const ctrl = new AbortController();
  let reason: Error | undefined;
  const abort = (err: Error) => {
    reason ??= err;
    ctrl.abort(err);
  };
  const onCallerAbort = () => abort(new Error("request aborted"));
  if (opts.signal?.aborted) onCallerAbort();
  opts.signal?.addEventListener("abort", onCallerAbort, { once: true });

  let idle: NodeJS.Timeout | undefined;
  const arm = (what: string) => {
    clearTimeout(idle);
    idle = setTimeout(() => abort(new LlmTimeoutError(`no ${what} from ${opts.source} within ${opts.timeoutMs} ms`)), opts.timeoutMs);
  };
  const totalMs = opts.timeoutMs * LIMITS.llmTotalFactor;
  const total = setTimeout(() => abort(new LlmTimeoutError(`answer from ${opts.source} took over ${totalMs} ms`)), totalMs);
  arm("first token");
  try {
    for await (const text of await open(ctrl.signal)) {
      if (ctrl.signal.aborted) break;
      arm("further tokens");
      if (text) yield text;
    }
    if (reason) throw reason;
  } catch (err) {
    // Report the timeout rather than the library's generic "aborted".
    throw reason ?? err;
  } finally {
    clearTimeout(idle);
    clearTimeout(total);
    opts.signal?.removeEventListener("abort", onCallerAbort);
    ctrl.abort(); // stops the model if the consumer stopped early
  }
}
