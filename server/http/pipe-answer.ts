/**
 * Feeds the answer pipeline's events into an SSE stream and guarantees the stream ends: with the
 * pipeline's `done`, or with an `error` when it fails, stalls past the deadline or stops early.
 * When the client has gone, nothing more is written and the pipeline is told to stop.
 */
import type { SSEStreamingApi } from "hono/streaming";
import type { AnswerEvent } from "../answer/types.ts";
import { abortable } from "./abortable.ts";
import { ApiError, errorBody, type Lang } from "./errors.ts";

export interface PipeOptions {
  events: AsyncIterable<AnswerEvent>;
  /** Fires on the deadline or when the client goes away. */
  signal: AbortSignal;
  /** Fires only when the client went away. */
  clientSignal: AbortSignal;
  lang: Lang;
  write(stream: SSEStreamingApi, event: AnswerEvent): Promise<void>;
  fail(stream: SSEStreamingApi, body: ReturnType<typeof errorBody>): Promise<void>;
  log(msg: string): void;
}

export async function pipeAnswer(stream: SSEStreamingApi, opts: PipeOptions): Promise<void> {
  let done = false;
  // Why the signal fired: the server stopping (its reason is an ApiError) or the deadline.
  const failure = () => {
    const reason: unknown = opts.signal.reason;
    return errorBody(!opts.signal.aborted ? "internal" : reason instanceof ApiError ? reason.code : "timeout", opts.lang);
  };
  try {
    for await (const event of abortable(opts.events, opts.signal)) {
      if (opts.clientSignal.aborted) return;
      await opts.write(stream, event);
      if (event.type === "done") done = true;
    }
    if (!done && !opts.clientSignal.aborted) {
      if (!opts.signal.aborted) opts.log("answer stream ended without a done event");
      await opts.fail(stream, failure());
    }
  } catch (err) {
    if (opts.clientSignal.aborted) return;
    opts.log(`answer stream failed: ${(err as Error)?.stack ?? String(err)}`);
    await opts.fail(stream, failure());
  }
}
