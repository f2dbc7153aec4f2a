const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `task` once every earlier task of the same key in this process has settled. A read-modify-write
 * of one LocalStorage key (a source's record, the activity log, a ledger) then sees what the previous one
 * wrote, so two refreshes or loads finishing together cannot drop each other's data.
 */
export function oneAtATime<T>(key: string, task: () => Promise<T>): Promise<T> {
  const result = (queues.get(key) ?? Promise.resolve()).then(task);
  queues.set(
    key,
    result.catch(() => undefined),
  );
  return result;
}
