/** How big and how long each scenario runs. */
export interface Sizes {
  runs: number;
  /** Requests (or transactions) in flight in the closed-loop runs. */
  inFlight: number;
  /** Closed-loop load before a measurement: opens connections, warms the JIT. */
  warmUpMs: number;
  ceilingMs: number;
  ceilingUsers: number;
  submitMs: number;
  /** How long the open-loop runs at half the measured maximum last. */
  halfRateMs: number;
  pipelineJobs: number;
  /** A pipeline run still draining after this long is reported from what finished so far. */
  pipelineCapMs: number;
  /** Jobs per submitJobs in the batched pipeline, and the gateway's MAX_SUBMIT_BATCH. */
  submitBatch: number;
  workerConcurrency: number;
  fanOutClients: number;
  fanOutWindowMs: number;
  peerSendMs: number;
}

export const fullSizes: Sizes = {
  runs: 3,
  inFlight: 64,
  warmUpMs: 1_000,
  ceilingMs: 5_000,
  ceilingUsers: 1_000,
  submitMs: 10_000,
  halfRateMs: 5_000,
  pipelineJobs: 20_000,
  pipelineCapMs: 45_000,
  submitBatch: 100,
  workerConcurrency: 32,
  fanOutClients: 1_000,
  fanOutWindowMs: 10_000,
  peerSendMs: 5_000,
};

/** CI's: every scenario once, small, only to prove the harness works. */
export const quickSizes: Sizes = {
  runs: 1,
  inFlight: 64,
  warmUpMs: 300,
  ceilingMs: 1_000,
  ceilingUsers: 200,
  submitMs: 2_000,
  halfRateMs: 1_000,
  pipelineJobs: 200,
  pipelineCapMs: 6_000,
  submitBatch: 100,
  workerConcurrency: 32,
  fanOutClients: 50,
  fanOutWindowMs: 2_000,
  peerSendMs: 1_000,
};
