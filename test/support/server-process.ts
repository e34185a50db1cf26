/**
 * The real server as a user starts it, in a child process (`node --import tsx server/main.ts`, or
 * `npm start`): waits for its "ready at" line, collects what it printed, and is killed at the end of
 * the test if it is still running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export const REPO = path.resolve(import.meta.dirname, "../..");

export interface ServerProcess {
  child: ChildProcess;
  /** http://127.0.0.1:PORT (no trailing slash), once ready. */
  url: string;
  port: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGKILL to the process group it started, whatever is left of it (for after()). */
  kill(): void;
}

export const until = async (cond: () => boolean, ms: number): Promise<boolean> => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  return cond();
};

/**
 * Starts the server with `env` over the test's environment (HOST 127.0.0.1, PORT 0, no token, no
 * watcher by default). `command` defaults to node running server/main.ts; pass ["npm", "start"] to
 * start it the way the README says. Rejects with everything it printed when it exits or is not
 * ready within `readyMs`.
 */
export async function startServerProcess(opts: { env: Record<string, string>; command?: string[]; readyMs?: number }): Promise<ServerProcess> {
  const [cmd, ...args] = opts.command ?? [process.execPath, "--import", "tsx", "server/main.ts"];
  const child = spawn(cmd, args, {
    cwd: REPO,
    env: { ...process.env, HOST: "127.0.0.1", PORT: "0", INDEX_WATCH_MS: "0", API_TOKEN: "", EMBEDDING_MODEL: "", LOG_FORMAT: "", LOG_LEVEL: "", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so that kill() also ends whatever it started (npm → sh → node).
    detached: true,
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = () => /ready at http:\/\/127\.0\.0\.1:\d+\//.test(stdout);
  await until(() => ready() || child.exitCode !== null || child.signalCode !== null, opts.readyMs ?? 120_000);
  const kill = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // the group is gone already
    }
  };
  if (!ready()) {
    kill();
    throw new Error(`the server did not start (exit ${child.exitCode ?? child.signalCode}):\n${stdout}\n${stderr}`);
  }
  const url = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)![1];
  return { child, url, port: Number(new URL(url).port), stdout: () => stdout, stderr: () => stderr, exited, kill };
}
