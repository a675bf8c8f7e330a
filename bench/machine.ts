// What the numbers were measured on: CPU, cores, memory, Node, and how busy the machine was.
import { arch, cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1-minute load average at start and end: a shared machine's noise, for reading the spread. */
  loadAverage: { start: number; end?: number };
  freeMemoryGiB: number;
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${platform()} ${release()} ${arch()}`,
    loadAverage: { start: loadavg()[0] ?? 0 },
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
  };
}

export function finishMachine(machine: Machine): Machine {
  return { ...machine, loadAverage: { ...machine.loadAverage, end: loadavg()[0] ?? 0 } };
}
