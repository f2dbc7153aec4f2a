import { withinBudget } from "../../../src/sources/budget";

describe("withinBudget", () => {
  test("work that finishes in time gives its value", async () => {
    await expect(withinBudget(async () => 42, 1000)).resolves.toEqual({ status: "done", value: 42 });
  });

  test("a rejection and a synchronous throw are both failures, with their error", async () => {
    const error = new Error("EIO");
    await expect(withinBudget(() => Promise.reject(error), 1000)).resolves.toEqual({ status: "failed", error });
    const throwing = () => {
      throw error;
    };
    await expect(withinBudget(throwing, 1000)).resolves.toEqual({ status: "failed", error });
  });

  test("work that never ends times out, and a late answer changes nothing", async () => {
    jest.useFakeTimers();
    try {
      let finish: (value: number) => void = () => {};
      const outcome = withinBudget(() => new Promise<number>((resolve) => (finish = resolve)), 1500);
      let settled = false;
      void outcome.then(() => (settled = true));
      await jest.advanceTimersByTimeAsync(1499);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(settled).toBe(true);
      finish(7);
      await expect(outcome).resolves.toEqual({ status: "timedOut" });
    } finally {
      jest.useRealTimers();
    }
  });

  test("a budget already spent times out at once", async () => {
    const outcome = await withinBudget(() => new Promise<never>(() => {}), -5);
    expect(outcome).toEqual({ status: "timedOut" });
  });
});
