/**
 * The conformance tier (issue 7): the rendered configs in the real Collector
 * and a Tempo build, with RabbitMQ, PostgreSQL and instrumented sample
 * services. `npm run e2e` (always --runInBand: one shared stack).
 * Prerequisites: `npm run e2e:build`, Debian rabbitmq-server and postgresql.
 */
module.exports = {
  rootDir: "..",
  testEnvironment: "node",
  roots: ["<rootDir>/e2e"],
  testMatch: ["<rootDir>/e2e/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true }] },
  globalSetup: "<rootDir>/e2e/harness/globalSetup.ts",
  globalTeardown: "<rootDir>/e2e/harness/globalTeardown.ts",
  reporters: ["default", "<rootDir>/e2e/harness/failureLogsReporter.js"],
  // Each check polls with its own deadline; this is only the outer bound per test.
  testTimeout: 300000,
  slowTestThreshold: 60,
};
