/**
 * Progress lines on stderr (jest buffers console.*; a long run should show
 * where it is), timed from the start of the run: the global setup records it
 * in E2E_STARTED_AT so every test file's lines share one clock.
 */
process.env.E2E_STARTED_AT ??= String(Date.now());
const started = Number(process.env.E2E_STARTED_AT);

export function progress(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[e2e ${seconds}s] ${message}\n`);
}
