import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/helpers/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Files run in parallel, each with its own database and RabbitMQ vhost.
    fileParallelism: true,
    maxWorkers: 4,
    reporters: ["default"],
  },
});
