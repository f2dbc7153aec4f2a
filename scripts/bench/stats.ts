/** Order statistics for benchmark samples. */

/** The value below which `fraction` of the samples fall (nearest rank). */
function quantile(samples: number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

export const median = (samples: number[]) => quantile(samples, 0.5);
export const p90 = (samples: number[]) => quantile(samples, 0.9);
