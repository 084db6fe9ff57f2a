import { appEnvironment, startBenchApp } from "../app-processes.js";
import { submittersSetup } from "../environment.js";
import { submitBody, submitJob } from "../gateway-client.js";
import { createHttpClient } from "../http-client.js";
import { closedLoop, openLoop } from "../load.js";
import type { RunContext, Sample, Scenario } from "../scenario.js";
import type { Sizes } from "../sizes.js";
import { percentile } from "../stats.js";

/**
 * `submitJob` over HTTP against a gateway-only process: as fast as
 * `inFlight` keep-alive connections go, then open-loop at half that rate.
 */
export const submit: Scenario = {
  name: "submit",
  settings: (sizes) => ({
    process: "one gateway (ROLE=gateway, LOG_LEVEL=warn, default DATABASE_POOL_SIZE), no worker",
    connections: sizes.inFlight,
    users: sizes.inFlight,
    closedLoopSeconds: sizes.submitMs / 1000,
    halfRateSeconds: sizes.halfRateMs / 1000,
    job: "demo.simulate with params {}",
  }),
  async run({ sizes, template, rabbitmqUrl: vhostUrl, cleanup }: RunContext): Promise<Sample[]> {
    const { rabbitmqUrl, url, tokens } = await submittersSetup({ template, rabbitmqUrl: vhostUrl, cleanup }, sizes.inFlight);
    const gateway = await startBenchApp({ ...appEnvironment(url, rabbitmqUrl), ROLE: "gateway" }, cleanup);
    const client = createHttpClient(gateway.url, sizes.inFlight);
    cleanup.add(async () => client.close());
    const body = submitBody({});
    return measureSubmits("submit", sizes, (user) => submitJob(client, body, tokens[user % tokens.length]!).then(() => {}));
  },
};

/**
 * The measurement of the submit scenarios (the project's and the plain
 * reference's, so that both are measured alike): a short warm-up, which
 * opens the connections and lets the server's code get optimized; as fast as
 * `inFlight` loops go, loop i submitting as user i; then open-loop at half
 * that rate, request n as user n mod `inFlight`.
 */
export async function measureSubmits(prefix: string, sizes: Sizes, submitAs: (user: number) => Promise<void>): Promise<Sample[]> {
  await closedLoop({ workers: sizes.inFlight, durationMs: sizes.warmUpMs, operation: (worker) => submitAs(worker) });
  const max = await closedLoop({ workers: sizes.inFlight, durationMs: sizes.submitMs, operation: (worker) => submitAs(worker) });
  const maxRate = max.completed / max.seconds;
  const half = await openLoop({ ratePerSecond: maxRate / 2, durationMs: sizes.halfRateMs, operation: (index) => submitAs(index % sizes.inFlight) });
  return [
    { name: `${prefix}.rate`, unit: "req/s", value: maxRate },
    { name: `${prefix}.p50`, unit: "ms", value: percentile(max.latenciesMs, 50) },
    { name: `${prefix}.p99`, unit: "ms", value: percentile(max.latenciesMs, 99) },
    { name: `${prefix}.half-rate.rate`, unit: "req/s", value: half.completed / half.seconds },
    { name: `${prefix}.half-rate.p50`, unit: "ms", value: percentile(half.latenciesMs, 50) },
    { name: `${prefix}.half-rate.p99`, unit: "ms", value: percentile(half.latenciesMs, 99) },
  ];
}
