/**
 * The HTTP app: API routes, the web page, and the guards in front of them (security headers, CORS,
 * token, rate limits, body size, deadline). Built from its dependencies so tests can serve it in
 * process or over real HTTP, with the real index and generator.
 */
import fs from "node:fs";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { serveStatic } from "@hono/node-server/serve-static";
import { bearerAuth } from "./http/auth.ts";
import { clientAddress } from "./http/client-address.ts";
import { deadline, type AppEnv } from "./http/deadline.ts";
import { ApiError, errorBody, requestLang, type ErrorCode } from "./http/errors.ts";
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
  const deps: RouteDeps = { ...appDeps, log: appDeps.log ?? ((msg) => console.error(msg)) };
  const { limits, security } = deps.config;
  const app = new Hono<AppEnv>();

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
    app.use(p, deadline(limits.requestTimeoutMs));
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
    app.use("/*", serveStatic({ root: deps.webDir }));
  }

  app.notFound((c) => c.json(errorBody("not_found", requestLang(c)), 404));

  app.onError((err, c) => {
    if (err instanceof ApiError) {
      return c.json(errorBody(err.code, requestLang(c, err.lang), err.params), err.status);
    }
    if (err instanceof HTTPException && ERROR_CODE_OF_STATUS[err.status]) {
      const code = ERROR_CODE_OF_STATUS[err.status];
      return c.json(errorBody(code, requestLang(c)), err.status);
    }
    // The client went away mid-request: nobody is left to answer, and it is not a server failure.
    if (c.req.raw.signal.aborted) return c.body(null, 499 as never);
    // Anything else is our bug: the details go to the log, the client gets a plain message.
    deps.log(`${c.req.method} ${c.req.path} failed: ${(err as Error)?.stack ?? String(err)}`);
    return c.json(errorBody("internal", requestLang(c)), 500);
  });

  return routes;
}

/** The whole API's type: `hc<AppType>(baseUrl)` gives a client typed by the contract. */
export type AppType = ReturnType<typeof createApp>;
