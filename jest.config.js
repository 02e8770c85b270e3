/** Unit, component and policy tests (the e2e tier has its own config in e2e/). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { isolatedModules: true }] },
  // Pulumi's mock runtime keeps module-level state: each test file gets its own module registry.
  testTimeout: 60000,
};
