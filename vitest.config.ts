import { configDefaults, defineConfig } from "vitest/config";

const underLoad = ["test/hardening.attacks.test.ts", "test/hardening.fuzz.test.ts"];

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds; Node hands the CJS one
    // to the schema's dependencies, so tests must use the same copy.
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    globalSetup: ["./test/helpers/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "main",
          // Files run in parallel, each with its own database and RabbitMQ vhost.
          exclude: [...configDefaults.exclude, "test/outage/**", ...underLoad],
          maxWorkers: 4,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          // These flood a gateway and time how it answers meanwhile: other files running beside them
          // would measure the machine, not the gateway. After the rest, one at a time.
          name: "load",
          include: underLoad,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          // These stop and start the whole broker, so they run after the rest, one at a time.
          name: "outage",
          include: ["test/outage/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
