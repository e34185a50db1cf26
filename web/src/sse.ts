/**
 * Server-Sent Events read from a fetch body. EventSource cannot POST or be aborted with an
 * AbortController, so the chat stream is parsed here instead.
 */

export interface SseMessage {
  event: string;
  data: string;
}

/** Splits a growing text buffer into complete SSE messages; keeps the unfinished tail. */
export function createSseParser(): { push(text: string): SseMessage[]; end(): SseMessage[] } {
  let buffer = "";
  const parseBlock = (block: string): SseMessage | undefined => {
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line === "" || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    return data.length > 0 ? { event, data: data.join("\n") } : undefined;
  };
  const drain = (final: boolean): SseMessage[] => {
    const out: SseMessage[] = [];
    buffer = buffer.replace(/\r\n?/g, "\n");
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const msg = parseBlock(buffer.slice(0, cut));
      buffer = buffer.slice(cut + 2);
      if (msg) out.push(msg);
    }
    if (final && buffer.trim() !== "") {
      const msg = parseBlock(buffer);
      buffer = "";
      if (msg) out.push(msg);
    }
    return out;
  };
  return {
    push(text: string) {
      buffer += text;
      return drain(false);
    },
    end() {
      return drain(true);
    },
  };
}

/** Yields each SSE message of a response body as it arrives. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = createSseParser();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    yield* parser.push(decoder.decode());
    yield* parser.end();
  } finally {
    reader.releaseLock();
  }
}
