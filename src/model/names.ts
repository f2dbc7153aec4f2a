/**
 * Human names for the ids providers send: plans (`prolite` → Pro Lite), buckets (`codex_other` →
 * Codex Other). A raw id never reaches the menu; an unknown one is title-cased without underscores.
 */

const ID_WORD = /[A-Za-z0-9]+/g;
const ACRONYMS = new Set(["gpt", "api", "oauth", "ai"]);
const MAX_NAME_CHARS = 40;

function titleWord(word: string): string {
  const lower = word.toLowerCase();
  if (lower === "oauth") return "OAuth";
  if (ACRONYMS.has(lower)) return lower.toUpperCase();
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

/** `codex_other` → `Codex Other`, `seven-day.foo` → `Seven Day Foo`; junk gives an empty string. */
export function readableId(id: string): string {
  const words = id.slice(0, 200).match(ID_WORD) ?? [];
  return words.map(titleWord).join(" ").slice(0, MAX_NAME_CHARS).trim();
}

/** Ids look like `snake_case` or `kebab-case` in lower case; a name has spaces or capitals. */
export function looksLikeId(text: string): boolean {
  return /^[a-z0-9]+([_-][a-z0-9]+)*$/.test(text) && /[_-]|^[a-z]/.test(text);
}

/** A provider's display text, cut to one short line: control characters and long runs never reach the menu. */
export function cleanName(text: string): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, " ").trim();
  return oneLine.length > MAX_NAME_CHARS ? `${oneLine.slice(0, MAX_NAME_CHARS - 1)}…` : oneLine;
}

/** A name to show: a display name as given, an id made readable. */
export function displayName(text: string): string {
  const cleaned = cleanName(text);
  return looksLikeId(cleaned) ? readableId(cleaned) : cleaned;
}

const PLAN_NAMES: Record<string, string> = {
  free: "Free",
  go: "Go",
  plus: "Plus",
  pro: "Pro",
  prolite: "Pro Lite",
  max: "Max",
  team: "Team",
  business: "Business",
  enterprise: "Enterprise",
  edu: "Edu",
  education: "Education",
  self_serve_business_usage_based: "Business (usage-based)",
  self_serve_business_prolite: "Business (Pro Lite)",
  enterprise_cbp_usage_based: "Enterprise (usage-based)",
};

/** `prolite` → `Pro Lite`; an id the list does not know is title-cased without underscores. */
export function planDisplayName(id: string): string {
  const key = id.trim().toLowerCase();
  return PLAN_NAMES[key] ?? readableId(key);
}
