/** The machine a figure was measured on: printed beside every bench table. */
import os from "node:os";

export interface Machine {
  cpus: number;
  model: string;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1-minute load average when the bench started: other work on the machine skews figures. */
  loadAverage: number;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: Math.round(os.loadavg()[0] * 100) / 100,
  };
}

export function machineLine(m: Machine): string {
  return `${m.cpus} × ${m.model}, ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.platform} (load average ${m.loadAverage} at start)`;
}
