/**
 * Wall and CPU time of the synth's phases, each measured from the end of the
 * previous one (the first from process start): `npm run synth -- --timing`
 * prints them, scripts/synth-timing.ts collects them.
 */
import { performance } from "perf_hooks";

export interface Phase {
  readonly name: string;
  /** Wall time of the phase, milliseconds. */
  readonly wallMs: number;
  /** User + system CPU of the whole process during the phase, milliseconds. */
  readonly cpuMs: number;
}

function cpuMsSinceStart(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export class PhaseTimer {
  readonly phases: Phase[] = [];
  private wall = 0;
  private cpu = 0;

  /** Ends the phase that started when the previous one ended. */
  end(name: string): void {
    const wall = performance.now();
    const cpu = cpuMsSinceStart();
    this.phases.push({ name, wallMs: Math.round(wall - this.wall), cpuMs: Math.round(cpu - this.cpu) });
    this.wall = wall;
    this.cpu = cpu;
  }
}
