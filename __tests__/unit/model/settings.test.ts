import { HOUR } from "../../support/builders";
import {
  DEFAULT_CODEX_CREDIT_PRICE,
  parseSettings as parseWith,
  type RawPreferences,
} from "../../../src/model/settings";
import { SOURCES } from "../../../src/sources/registry";

const environment = { env: {}, homedir: "/Users/test" };
const parseSettings = (raw: RawPreferences, env: typeof environment | { env: NodeJS.ProcessEnv; homedir: string }) =>
  parseWith(raw, SOURCES, env);

describe("settings", () => {
  test("defaults", () => {
    const settings = parseSettings({}, environment);
    expect(settings).toEqual({
      sources: {
        codex: { planType: "auto", folder: "/Users/test/.codex", folderIsDefault: true },
        claude: { planType: "auto", folder: "/Users/test/.claude", folderIsDefault: true },
      },
      policy: "capsFirst",
      creditTtlMs: 6 * HOUR,
      showCredits: true,
      codexCreditUnitPrice: 0.04,
      allowKeychain: true,
      problems: [],
    });
  });

  test("every preference is read", () => {
    const settings = parseSettings(
      {
        codexPlanType: "mixed",
        claudePlanType: "usageCredits",
        preferCredits: true,
        creditTtlHours: "12",
        showCredits: false,
        codexCreditUnitPrice: "$0.05",
        codexHome: "~/work/codex",
        claudeConfigDir: "/opt/claude dir",
        allowKeychain: false,
      },
      environment,
    );
    expect(settings).toMatchObject({
      sources: {
        codex: { planType: "mixed", folder: "/Users/test/work/codex", folderIsDefault: false },
        claude: { planType: "usageCredits", folder: "/opt/claude dir", folderIsDefault: false },
      },
      policy: "preferCredits",
      creditTtlMs: 12 * HOUR,
      showCredits: false,
      codexCreditUnitPrice: 0.05,
      allowKeychain: false,
      problems: [],
    });
  });

  test.each(["1", "3", "6", "12", "24"])("TTL choice %s hours", (hours) => {
    expect(parseSettings({ creditTtlHours: hours }, environment).creditTtlMs).toBe(Number(hours) * HOUR);
  });

  test("environment variables stand in for empty folder preferences", () => {
    const settings = parseSettings(
      { codexHome: "  " },
      { env: { CODEX_HOME: "/env/codex", CLAUDE_CONFIG_DIR: "/env/claude" }, homedir: "/Users/test" },
    );
    expect(settings.sources.codex.folder).toBe("/env/codex");
    expect(settings.sources.claude.folder).toBe("/env/claude");
    expect(settings.sources.claude.folderIsDefault).toBe(false);
    const blank = parseSettings({}, { env: { CODEX_HOME: "  " }, homedir: "/Users/test" });
    expect(blank.sources.codex.folder).toBe("/Users/test/.codex");
  });

  test.each(["abc", "-1", "0", "NaN", "1e308", "Infinity", "0x10"])(
    "a unit price of %p falls back with one clear message",
    (price) => {
      const settings = parseSettings({ codexCreditUnitPrice: price }, environment);
      expect(settings.codexCreditUnitPrice).toBe(DEFAULT_CODEX_CREDIT_PRICE);
      expect(settings.problems).toHaveLength(1);
      expect(settings.problems[0]).toContain(`“${price}”`);
    },
  );

  test("an empty unit price is the default, silently", () => {
    expect(parseSettings({ codexCreditUnitPrice: "" }, environment).problems).toEqual([]);
  });

  test("unknown dropdown values fall back", () => {
    const settings = parseSettings({ codexPlanType: "weird", creditTtlHours: "5", showCredits: "yes" }, environment);
    expect(settings.sources.codex.planType).toBe("auto");
    expect(settings.creditTtlMs).toBe(6 * HOUR);
    expect(settings.showCredits).toBe(true);
    expect(settings.problems).toEqual([expect.stringContaining("Balance freshness “5”")]);
  });
});
