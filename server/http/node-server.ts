/**
 * What node's HTTP server itself decides, before the app sees a request: how large the headers may
 * be, and the answer to a request it refuses (a JSON error in the API's shape instead of a bare
 * status line).
 */
import type { Server, ServerOptions } from "node:http";
import type { Duplex } from "node:stream";
import type { LimitsSettings } from "../../config/settings.ts";
import { errorBody, type ErrorCode } from "./errors.ts";

/** Node's own default header limit. */
const NODE_DEFAULT_HEADER_BYTES = 16 * 1024;
/** A Han character percent-encoded in a URL: three UTF-8 bytes as %XX each. */
const BYTES_PER_ENCODED_CHAR = 9;

/**
 * Room for the longest question the API accepts, percent-encoded in `GET /api/search?q=` (all
 * Chinese: 9 bytes a character), on top of node's usual 16 KiB for the other headers.
 */
export function maxHeaderBytes(limits: Pick<LimitsSettings, "maxQuestionChars">): number {
  return NODE_DEFAULT_HEADER_BYTES + BYTES_PER_ENCODED_CHAR * limits.maxQuestionChars;
}

export function httpServerOptions(limits: Pick<LimitsSettings, "maxQuestionChars">): ServerOptions {
  return { maxHeaderSize: maxHeaderBytes(limits) };
}

/**
 * Answers requests node cannot parse (headers over the limit: 431; anything else malformed: 400)
 * with the API's JSON error, both languages (no header could be read to choose one), and closes.
 */
export function answerClientErrors(server: Server): void {
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || err.code === "ECONNRESET") {
      socket.destroy();
      return;
    }
    const [status, reason, code]: [number, string, ErrorCode] =
      err.code === "HPE_HEADER_OVERFLOW" ? [431, "Request Header Fields Too Large", "headers_too_large"] : [400, "Bad Request", "invalid_request"];
    const body = JSON.stringify(errorBody(code, "zh+en"));
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
