import { configDefaults, defineConfig } from "vitest/config";
import { LongFilesFirst } from "./test/helpers/long-files-first.js";

const globalSetup = "./test/helpers/global-setup.ts";
const underLoad = ["test/hardening.attacks.test.ts", "test/hardening.fuzz.test.ts"];

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds; Node hands the CJS one
    // to the schema's dependencies, so tests must use the same copy.
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The longest files start first, so that none is left running alone at the end.
    sequence: { sequencer: LongFilesFirst },
    projects: [
      {
        extends: true,
        test: {
          // Pure logic: no PostgreSQL, RabbitMQ or global setup (`npx vitest run --project unit`).
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          // Runs beside "main" (one group, so the same pool size).
          maxWorkers: 4,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "main",
          globalSetup: [globalSetup],
          // Files run in parallel, each with its own database and RabbitMQ vhost.
          exclude: [...configDefaults.exclude, "test/unit/**", "test/outage/**", ...underLoad],
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
          globalSetup: [globalSetup],
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
          globalSetup: [globalSetup],
          include: ["test/outage/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
