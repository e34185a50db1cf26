/** Reads a JSON request body, refusing other content types and malformed JSON with a 400. */
import type { Context } from "hono";
import { ApiError } from "./errors.ts";

/** `application/json`, with or without parameters (charset); not `application/jsonp` or any other type. */
export function isJsonContentType(type: string | undefined): boolean {
  return /^application\/json\s*(;|$)/i.test(type ?? "");
}

/** The parsed body; with `optional`, an empty body gives undefined whatever its content type. */
export async function readJsonBody(c: Context, opts: { optional?: boolean } = {}): Promise<unknown> {
  // The body limit middleware has already capped the size, so reading it whole is safe.
  const raw = await c.req.text();
  if (opts.optional && raw.trim() === "") return undefined;
  if (!isJsonContentType(c.req.header("content-type"))) throw new ApiError("unsupported_content_type");
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ApiError("invalid_json");
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
