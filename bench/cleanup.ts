/**
 * Teardown steps run in reverse order of registration, each even if an
 * earlier one failed; the first failure is rethrown after all ran.
 */
export function createCleanup() {
  const steps: (() => Promise<unknown>)[] = [];
  return {
    add(step: () => Promise<unknown>) {
      steps.push(step);
    },
    async run(): Promise<void> {
      let failure: unknown = null;
      // Taken out at once, so that a second caller (an interrupt) does not run a step twice.
      for (const step of steps.splice(0).reverse()) {
        try {
          await step();
        } catch (error) {
          failure ??= error;
        }
      }
      if (failure !== null) throw failure;
    },
  };
}

export type Cleanup = ReturnType<typeof createCleanup>;
