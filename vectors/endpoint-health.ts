/**
 * Whether the embedding model can be asked right now. An endpoint that failed is not asked again for
 * `retryMs` (each search would otherwise wait through its timeout and retries), so searches go on by
 * keywords at once; after that the next request tries it again. The log hears the first failure and
 * the recovery, not every request.
 */
import { EmbeddingEndpointError } from "./endpoint-embedder.ts";

export interface DenseStatus {
  /** "ok": dense search and sentence similarity work; "unavailable": the model cannot be reached or loaded (keywords only). */
  state: "ok" | "unavailable";
  /** What went wrong, naming the endpoint or the model folder. */
  reason?: string;
  /** When it went wrong (ISO time). */
  since?: string;
}

export const RETRY_MS = 15_000;

export class EndpointHealth {
  private problem?: { reason: string; since: string; retryAt: number };

  constructor(
    private readonly log: (msg: string) => void,
    private readonly retryMs = RETRY_MS,
  ) {}

  /** False while a recent failure stands (until its retry time). */
  get usable(): boolean {
    return !this.problem || Date.now() >= this.problem.retryAt;
  }

  status(): DenseStatus {
    return this.problem ? { state: "unavailable", reason: this.problem.reason, since: this.problem.since } : { state: "ok" };
  }

  /** Records a failure (logged the first time, with what the search does meanwhile). */
  failed(err: Error): void {
    if (!this.problem) {
      this.log(`${err.message} Dense search and sentence similarity are off, searching by keywords only; trying the endpoint again every ${Math.round(this.retryMs / 1000)} s.`);
    }
    this.problem = { reason: err.message, since: this.problem?.since ?? new Date().toISOString(), retryAt: Date.now() + this.retryMs };
  }

  /**
   * Runs a call to the endpoint: at once it throws the standing failure while it is recent; an
   * EmbeddingEndpointError from the call is recorded, a success clears the failure.
   */
  async run<T>(call: () => Promise<T>): Promise<T> {
    if (!this.usable) throw new EmbeddingEndpointError(this.problem!.reason);
    try {
      const result = await call();
      if (this.problem) {
        this.log(`The embedding endpoint answers again: dense search and sentence similarity are back (down since ${this.problem.since}).`);
        this.problem = undefined;
      }
      return result;
    } catch (err) {
      if (err instanceof EmbeddingEndpointError) this.failed(err);
      throw err;
    }
  }
}
