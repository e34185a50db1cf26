/**
 * Limits that more than one part of the product must agree on, defined once.
 */
export const LIMITS = {
  /** The search returns at most this many passages; MAX_K cannot promise more. */
  maxK: 50,
  /** One LLM call may take at most this many times LLM_TIMEOUT_MS in all (first token + silences). */
  llmTotalFactor: 6,
  /** A follow-up makes two LLM calls (rewrite, then answer). */
  llmCallsPerRequest: 2,
  /** Room for retrieval and the extractive fallback after the LLM's worst case. */
  llmMarginMs: 30_000,
} as const;

/**
 * The worst time an LLM may take within one request: each call bounded by llmTotalFactor ×
 * LLM_TIMEOUT_MS, plus a margin. REQUEST_TIMEOUT_MS must leave room for it, or a slow model would
 * end in a 504 instead of the fallback answer.
 */
export function llmWorstCaseMs(llmTimeoutMs: number): number {
  return LIMITS.llmCallsPerRequest * LIMITS.llmTotalFactor * llmTimeoutMs + LIMITS.llmMarginMs;
}
