/** How a piece of work bounded by a time budget ended. */
export type Bounded<T> = { status: "done"; value: T } | { status: "failed"; error: unknown } | { status: "timedOut" };

/**
 * Runs `work` and stops waiting for it after `budgetMs`. The work itself cannot be cancelled (a read
 * stuck on a special file stays stuck), but whoever waits for it is never stuck with it. A synchronous
 * throw counts as a failure, like a rejection.
 */
export function withinBudget<T>(work: () => Promise<T>, budgetMs: number): Promise<Bounded<T>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ status: "timedOut" }), Math.max(0, budgetMs));
    const finish = (outcome: Bounded<T>) => {
      clearTimeout(timer);
      resolve(outcome);
    };
    Promise.resolve()
      .then(work)
      .then(
        (value) => finish({ status: "done", value }),
        (error: unknown) => finish({ status: "failed", error }),
      );
  });
}
