/** The values adaptCodexUsage should give, built the way the usage-adapter tests compare them. */
import type { AdapterResult } from "../../../../src/sources/parse";
import type { CapWindow, CreditReading } from "../../../../src/model/types";
import { FETCHED_AT } from "../../../support/fixtures";

const PRIMARY_RESET = 1791823260000;
const SECONDARY_RESET = 1792141964000;

export function fiveHour(usedPercent: number, resetsAt: number | null = PRIMARY_RESET): CapWindow {
  return { id: "5h", label: "5h", usedPercent, windowMinutes: 300, resetsAt };
}

export function weekly(usedPercent: number, resetsAt: number | null = SECONDARY_RESET): CapWindow {
  return { id: "weekly", label: "Weekly", usedPercent, windowMinutes: 10080, resetsAt };
}

export function caps(planName: string, windows: CapWindow[], extra: object = {}): AdapterResult["caps"] {
  return { windows, capturedAt: FETCHED_AT, origin: "codex-usage-api", planName, ...extra };
}

export function credits(balance: number, usable: boolean, notUsableReason?: string): CreditReading {
  const reading: CreditReading = {
    balance: { kind: "codexCredits", credits: balance },
    usable,
    updatedAt: FETCHED_AT,
    origin: "usage-api",
  };
  return notUsableReason ? { ...reading, notUsableReason } : reading;
}
