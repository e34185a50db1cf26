/**
 * Request validation through the contract's zod schemas (server/contract/) and Hono's validator
 * (@hono/zod-validator). A failing request gets the ApiError its first issue names (the schemas set
 * each issue's message to an error code), in the language of the question when the request shows one.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./deadline.ts";
import type { z } from "zod";
import type { RequestLimits } from "../contract/chat.ts";
import { ApiError, isErrorCode, type ErrorCode, type Lang } from "./errors.ts";
import { readJsonBody } from "./read-json.ts";

/** The numbers an error message quotes, from the limits the request was checked against. */
function paramsOf(code: ErrorCode, limits: Partial<RequestLimits>): Record<string, number> {
  const known = (p: Record<string, number | undefined>) =>
    Object.fromEntries(Object.entries(p).filter((e): e is [string, number] => e[1] !== undefined));
  switch (code) {
    case "question_too_long":
      return known({ max: limits.maxQuestionChars });
    case "history_too_long":
      return known({ max: limits.maxHistoryTurns, chars: limits.maxHistoryChars });
    case "invalid_k":
      return known({ max: limits.maxK });
    default:
      return {};
  }
}

/** The API error for a failed parse: the code its first issue carries (issues come in field order). */
export function apiErrorOf(error: z.core.$ZodError, lang: Lang | undefined, limits: Partial<RequestLimits> = {}): ApiError {
  const message = error.issues[0]?.message;
  const code: ErrorCode = isErrorCode(message) ? message : "invalid_body";
  return new ApiError(code, paramsOf(code, limits), lang);
}

/** Parses `value` with `schema` or throws the ApiError its first issue names. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, opts: { lang?: Lang; limits?: Partial<RequestLimits> } = {}): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw apiErrorOf(result.error, opts.lang, opts.limits);
  return result.data;
}

/**
 * The zValidator hook: a failed validation throws the ApiError (app.onError writes it), in the
 * language `langOf` reads from the raw input.
 */
export function rejectInvalid(opts: { limits?: Partial<RequestLimits>; langOf?: (input: unknown) => Lang | undefined }) {
  return (result: { success: boolean; error?: z.core.$ZodError; data: unknown }, _c: Context): void => {
    if (result.success || !result.error) return;
    throw apiErrorOf(result.error, opts.langOf?.(result.data), opts.limits);
  };
}

/**
 * A JSON body checked against `schema`, read and parsed once: it must be declared `application/json`
 * and parse as JSON (Hono's validator would read any other type as `{}`, answer malformed JSON with its
 * own text, and parse the body a second time). The route reads the result with `c.req.valid("json")`;
 * the parsed body is also kept as the context's `body` for the request log.
 */
export function validJson<S extends z.ZodType>(
  schema: S,
  opts: { limits?: Partial<RequestLimits>; langOf?: (input: unknown) => Lang | undefined } = {},
): MiddlewareHandler<AppEnv, string, { in: { json: z.input<S> }; out: { json: z.output<S> } }> {
  return async (c, next) => {
    const body = await readJsonBody(c);
    c.set("body", body);
    const result = schema.safeParse(body);
    if (!result.success) throw apiErrorOf(result.error, opts.langOf?.(body), opts.limits);
    c.req.addValidatedData("json", result.data as object);
    await next();
  };
}
