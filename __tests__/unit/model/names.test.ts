import { displayName, planDisplayName, readableId } from "../../../src/model/names";
import { classifyWindowMinutes, slotWindowKind, windowLengthLabel } from "../../../src/model/windows";

describe("plan names", () => {
  test.each([
    ["free", "Free"],
    ["go", "Go"],
    ["plus", "Plus"],
    ["pro", "Pro"],
    ["prolite", "Pro Lite"],
    ["max", "Max"],
    ["team", "Team"],
    ["business", "Business"],
    ["enterprise", "Enterprise"],
    ["edu", "Edu"],
    ["education", "Education"],
    ["self_serve_business_usage_based", "Business (usage-based)"],
    ["enterprise_cbp_usage_based", "Enterprise (usage-based)"],
    ["PLUS", "Plus"],
    ["ent26", "Ent26"],
    ["max_20x", "Max 20x"],
    ["brand_new_tier", "Brand New Tier"],
  ])("%s → %s", (id, name) => expect(planDisplayName(id)).toBe(name));
});

describe("readable names from ids", () => {
  test.each([
    ["codex_other", "Codex Other"],
    ["oauth_apps", "OAuth Apps"],
    ["nimbus_quill", "Nimbus Quill"],
    ["gpt-6-astra", "GPT 6 Astra"],
    ["___", ""],
  ])("%s → %p", (id, name) => expect(readableId(id)).toBe(name));

  test("a display name is kept as given; an id is made readable; control characters never pass", () => {
    expect(displayName("GPT-5.3-Codex-Spark")).toBe("GPT-5.3-Codex-Spark");
    expect(displayName("claude-haiku")).toBe("Claude Haiku");
    expect(displayName("Fable\u0000\u001b[31m")).toBe("Fable  [31m");
    expect(displayName("x".repeat(100))).toHaveLength(40);
  });
});

describe("window labels are derived from the length", () => {
  test.each([
    [30, "30m"],
    [60, "1h"],
    [300, "5h"],
    [540, "9h"],
    [1440, "1d"],
    [10080, "Weekly"],
    [43200, "30d"],
    [90, "90m"],
  ])("%d minutes → %s", (minutes, label) => expect(classifyWindowMinutes(minutes).label).toBe(label));

  test("hours and days only when whole", () => {
    expect([windowLengthLabel(120), windowLengthLabel(2880), windowLengthLabel(61)]).toEqual(["2h", "2d", "61m"]);
  });

  test("without a length, by the slot it came in", () => {
    expect(slotWindowKind("primary")).toEqual({ id: "primary", label: "Primary window", note: "length not given" });
    expect(slotWindowKind("tertiary").label).toBe("Tertiary window");
  });
});
