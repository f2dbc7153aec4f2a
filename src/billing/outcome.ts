import type { SourceId } from "../model/types";
import type { ProbeError } from "./storage";

/** What one source's refresh came to. */
export type RefreshOutcome =
  | { source: SourceId; status: "updated"; warnings: string[] }
  /** requestSent: whether the failed run got as far as its request, i.e. whether it touched the network. */
  | { source: SourceId; status: "failed"; error: ProbeError; requestSent: boolean }
  | { source: SourceId; status: "notSetUp"; hint: string }
  | { source: SourceId; status: "coolingDown"; until: number };
