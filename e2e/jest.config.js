/**
 * The real-binary tier: the rendered configs in the real Collector, nginx,
 * RabbitMQ and PostgreSQL with instrumented sample services, and the trace
 * store (real Tempo with TEMPO_BIN, else the capture store; see
 * e2e/harness/traceStore.ts). `npm run e2e` (always --runInBand: one shared
 * stack). Prerequisites: docs/e2e.md.
 */
module.exports = {
  rootDir: "..",
  testEnvironment: "node",
  roots: ["<rootDir>/e2e"],
  testMatch: ["<rootDir>/e2e/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true }] },
  globalSetup: "<rootDir>/e2e/harness/globalSetup.ts",
  globalTeardown: "<rootDir>/e2e/harness/globalTeardown.ts",
  reporters: ["default", "<rootDir>/e2e/harness/failureLogsReporter.js", "<rootDir>/e2e/harness/modeReporter.js"],
  // Each check polls with its own deadline; this is only the outer bound per test.
  testTimeout: 300000,
  slowTestThreshold: 60,
};
