/**
 * The one error shape of the API, `{ error: { code, message } }`, and the helper the request schemas
 * use to say which code a failing field answers with (the message, in the request's language, comes
 * from the catalog in server/http/errors.ts).
 */
import { z } from "zod";
import type { ErrorCode } from "../http/errors.ts";

export type { ErrorCode };

/** A zod error option naming the API error code an issue maps to (read back by server/http/validate.ts). */
export const code = (c: ErrorCode) => ({ error: c });

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string() as z.ZodType<ErrorCode>,
    message: z.string().min(1),
  }),
});

/** Every 4xx/5xx body, and the data of an SSE `error` event. */
export type ErrorBody = z.infer<typeof errorBodySchema>;
