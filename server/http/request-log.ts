/**
 * One log line per request: method, path (never the query string, which may hold a question),
 * status, milliseconds until the response was fully sent (a stream: until it ended) and the request
 * id, which is taken from X-Request-Id when the client or a proxy sent a usable one and generated
 * otherwise, and echoed in the response's X-Request-Id. Server errors are logged at error level.
 * The question's text is added only with LOG_QUESTIONS=1: questions may be personal.
 */
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { Context, MiddlewareHandler } from "hono";
import type { Logger } from "../../log/logger.ts";
import type { AppEnv } from "./deadline.ts";
import { questionIn } from "./question-language.ts";
import { setResponseHeader } from "./response-header.ts";

/** A client's id is kept only if it is short and plain (it goes into logs and a header). */
const USABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The question a request carried, from the query or the body a route already parsed (undefined otherwise). */
function questionOf(c: Context<AppEnv>): string | undefined {
  return c.req.query("q") ?? questionIn(c.get("body"));
}

export function requestLog(logger: Logger, opts: { questions: boolean }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const given = c.req.header("x-request-id");
    const reqId = given && USABLE_ID.test(given) ? given : randomUUID();
    c.set("requestId", reqId);
    await next();
    setResponseHeader(c, "X-Request-Id", reqId);
    const { method } = c.req;
    const path = c.req.path;
    const question = opts.questions ? questionOf(c) : undefined;
    const write = (status: number, aborted: boolean) => {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const record = { reqId, method, path, status, ms, ...(aborted ? { aborted: true } : {}), ...(question !== undefined ? { question } : {}) };
      logger[status >= 500 ? "error" : "info"](record, `${method} ${path} ${status} ${ms} ms${aborted ? " (client went away)" : ""}`);
    };
    // Over node's server the line is written when the response has gone out (a stream's end included).
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    if (outgoing && !outgoing.writableFinished) {
      const status = c.res.status;
      outgoing.once("close", () => write(outgoing.headersSent ? outgoing.statusCode : status, !outgoing.writableFinished));
    } else write(c.res.status, false);
  };
}
