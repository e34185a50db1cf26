/**
 * The HTTP app: API routes, the web page, and the guards in front of them (security headers, CORS,
 * token, rate limits, body size, deadline). Built from its dependencies so tests can serve it in
 * process or over real HTTP, with the real index and generator.
 */
import fs from "node:fs";
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { serveStatic } from "@hono/node-server/serve-static";
import { bearerAuth } from "./http/auth.ts";
import { clientAddress } from "./http/client-address.ts";
import { closeWhenBodyUnread } from "./http/close-unread.ts";
import { hostCheck } from "./http/host-check.ts";
import { requestLog } from "./http/request-log.ts";
import { lineLogger, type Logger } from "../log/logger.ts";
import { deadline, type AppEnv } from "./http/deadline.ts";
import { ApiError, errorBody, requestLang, type ErrorCode, type Lang } from "./http/errors.ts";
import { requestLanguage } from "./http/question-language.ts";
import { createRateLimiter, rateLimit } from "./http/rate-limit.ts";
import { adminRoutes } from "./routes/admin.ts";
import { articleRoutes } from "./routes/articles.ts";
import { chatRoutes } from "./routes/chat.ts";
import { healthRoutes } from "./routes/health.ts";
import { openAiRoutes } from "./routes/openai.ts";
import { searchRoutes } from "./routes/search.ts";
import type { AppDeps, RouteDeps } from "./route-deps.ts";

/** The page loads its own script and styles only: no inline script, no framing, no third parties. */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const ERROR_CODE_OF_STATUS: Record<number, ErrorCode> = {
  401: "unauthorized",
  404: "not_found",
  413: "payload_too_large",
  429: "rate_limited",
  503: "unavailable",
  504: "timeout",
};

/** The app: its type (AppType) carries every API route's input and output, for Hono's typed client `hc`. */
export function createApp(appDeps: AppDeps) {
  const { logger } = appDeps;
  const deps: RouteDeps = { ...appDeps, log: appDeps.log ?? (logger ? lineLogger(logger, "error") : (msg) => console.error(msg)) };
  const { limits, security } = deps.config;
  const app = new Hono<AppEnv>();

  if (logger) app.use("*", requestLog(logger, { questions: deps.config.log.questions }));
  app.use("*", closeWhenBodyUnread);
  if (!security.apiToken) app.use("*", hostCheck({ listenHost: deps.config.host, allowedHosts: security.allowedHosts }));
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: CONTENT_SECURITY_POLICY,
      xFrameOptions: "DENY",
      referrerPolicy: "no-referrer",
      // Served over plain HTTP on loopback by default; HSTS is for whoever terminates TLS in front.
      strictTransportSecurity: false,
    }),
  );

  const apiPaths = ["/api/*", "/v1/*"];
  if (security.corsOrigins.length > 0) {
    const origin = security.corsOrigins.includes("*") ? "*" : security.corsOrigins;
    for (const p of apiPaths) {
      app.use(p, cors({ origin, allowMethods: ["GET", "POST", "OPTIONS"], allowHeaders: ["Content-Type", "Authorization"], exposeHeaders: ["Retry-After"], maxAge: 600 }));
    }
  }

  // Rate limits come before the token check, so guessing tokens is rate limited too.
  if (limits.chatPerMinute > 0) {
    const chat = rateLimit(createRateLimiter(limits.chatPerMinute), clientAddress);
    app.use("/api/chat", chat);
    app.use("/v1/chat/*", chat);
  }
  if (limits.searchPerMinute > 0) {
    const limiter = rateLimit(createRateLimiter(limits.searchPerMinute), clientAddress);
    const other: Parameters<typeof app.use>[1] = async (c, next) =>
      c.req.path === "/api/health" || c.req.path === "/api/chat" || c.req.path.startsWith("/v1/chat/") ? next() : limiter(c, next);
    for (const p of apiPaths) app.use(p, other);
  }

  if (security.apiToken) {
    const auth = bearerAuth(security.apiToken, { except: (path) => path === "/api/health" });
    for (const p of apiPaths) app.use(p, auth);
  }

  const limitBody = bodyLimit({
    maxSize: limits.maxBodyBytes,
    onError: () => {
      throw new ApiError("payload_too_large", { max: limits.maxBodyBytes });
    },
  });
  for (const p of apiPaths) {
    app.use(p, limitBody);
    app.use(p, deadline(limits.requestTimeoutMs, deps.shutdown));
  }

  // Chained, so the returned app's type keeps every route's types.
  const routes = app
    .route("/api", healthRoutes(deps))
    .route("/api", searchRoutes(deps))
    .route("/api", chatRoutes(deps))
    .route("/api", articleRoutes(deps))
    .route("/api", adminRoutes(deps))
    .route("/v1", openAiRoutes(deps));

  if (deps.webDir && fs.existsSync(deps.webDir)) {
    // serveStatic refuses `..`, encoded separators and double slashes; what it cannot find falls to notFound.
    // Source maps stay on disk for whoever debugs the page; they are not published.
    const page = serveStatic({ root: deps.webDir });
    app.use("/*", (c, next) => (c.req.path.endsWith(".map") ? next() : page(c, next)));
  }

  app.notFound((c) => c.json(errorBody("not_found", requestLang(c)), 404));

  // Refusals raised in front of the routes (401, 429) still answer in the question's language when it can be
  // read cheaply. Only those wait for it: a handler's own failure may land after a deadline's 504, and an
  // awaiting onError would let it replace that response.
  const PEEK: readonly ErrorCode[] = ["unauthorized", "rate_limited"];
  const reply = (c: Context, code: ErrorCode, status: ContentfulStatusCode, lang: Lang | undefined, params?: Record<string, string | number>) =>
    !lang && PEEK.includes(code)
      ? requestLanguage(c, limits.maxBodyBytes).then((found) => c.json(errorBody(code, requestLang(c, found), params), status))
      : c.json(errorBody(code, requestLang(c, lang), params), status);

  app.onError((err, c) => {
    if (err instanceof ApiError) return reply(c, err.code, err.status, err.lang, err.params);
    if (err instanceof HTTPException && ERROR_CODE_OF_STATUS[err.status]) return reply(c, ERROR_CODE_OF_STATUS[err.status], err.status, undefined);
    // The client went away mid-request: nobody is left to answer, and it is not a server failure.
    if (c.req.raw.signal.aborted) return c.body(null, 499 as never);
    // Anything else is our bug: the details go to the log, the client gets a plain message.
    const id = c.get("requestId");
    deps.log(`${c.req.method} ${c.req.path} failed${id ? ` (request ${id})` : ""}: ${(err as Error)?.stack ?? String(err)}`);
    return c.json(errorBody("internal", requestLang(c)), 500);
  });

  return routes;
}

/** The whole API's type: `hc<AppType>(baseUrl)` gives a client typed by the contract. */
export type AppType = ReturnType<typeof createApp>;
