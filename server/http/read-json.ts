/** Reads a JSON request body, refusing other content types and malformed JSON with a 400. */
import type { Context } from "hono";
import { ApiError } from "./errors.ts";

/** The parsed body; with `optional`, an empty body gives undefined whatever its content type. */
export async function readJsonBody(c: Context, opts: { optional?: boolean } = {}): Promise<unknown> {
  // The body limit middleware has already capped the size, so reading it whole is safe.
  const raw = await c.req.text();
  if (opts.optional && raw.trim() === "") return undefined;
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new ApiError("unsupported_content_type");
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ApiError("invalid_json");
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
