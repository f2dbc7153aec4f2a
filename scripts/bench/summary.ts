/** Every part's targets, gathered into the one table `npm run bench` ends with. */

export interface TargetCheck {
  /** Which part measured it: cold launch, sizes, ledger, refresh, tap. */
  part: string;
  /** What is compared: `10 files: Agent Limits ÷ baseline`. */
  what: string;
  /** The figures behind the measured value: `41.2 vs 23.0 ms`. */
  detail: string;
  measured: number;
  limit: number;
  unit: "×" | " kB" | " ms";
}

const shown = (value: number, unit: TargetCheck["unit"]) =>
  unit === " kB" ? `${value.toFixed(1)}${unit}` : `${value.toFixed(2)}${unit}`;

export const passed = (check: TargetCheck) => check.measured <= check.limit;

/** The summary as a Markdown table; true when every target is met. */
export function printSummary(checks: TargetCheck[]): boolean {
  console.log("\n== summary ==\n");
  console.log("| part | target | figures | measured | limit | verdict |\n|---|---|---|---|---|---|");
  for (const check of checks) {
    const cells = [
      check.part,
      check.what,
      check.detail,
      shown(check.measured, check.unit),
      `≤ ${shown(check.limit, check.unit)}`,
      passed(check) ? "pass" : "OVER",
    ];
    console.log(`| ${cells.join(" | ")} |`);
  }
  const over = checks.filter((check) => !passed(check)).length;
  console.log(over === 0 ? "\nevery target met" : `\n${over} of ${checks.length} targets over`);
  return over === 0;
}
