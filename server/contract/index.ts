/**
 * The API contract, in one place: zod schemas for every request the server accepts and every reply and
 * SSE event it sends, with their inferred types. The server validates with these schemas; the web page
 * and tests import the types (`import type` only, so no zod reaches the browser bundle).
 */
export * from "./articles.ts";
export * from "./chat.ts";
export * from "./errors.ts";
export * from "./health.ts";
export * from "./openai.ts";
export * from "./search.ts";
