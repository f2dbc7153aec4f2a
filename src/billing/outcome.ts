import type { SourceId } from "../model/types";
import type { ProbeError } from "./storage";

/** What one source's refresh came to. */
export type RefreshOutcome =
  | { source: SourceId; status: "updated"; warnings: string[] }
  | { source: SourceId; status: "failed"; error: ProbeError }
  | { source: SourceId; status: "notSetUp"; hint: string }
  | { source: SourceId; status: "coolingDown"; until: number };
