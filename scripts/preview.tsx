/**
 * `npm run preview [-- --codex-home DIR] [--claude-config-dir DIR] [--no-tooltips]`
 *
 * Prints what the menu bar and its dropdown show for this machine's real local data, by
 * rendering the extension's own menu-bar command. Like the menu bar, it reads local files
 * only and touches no network. Billing data fetched by Refresh Billing lives in Raycast's
 * encrypted storage and is not visible here.
 */
import "./raycast-runtime";
import { parseArgs } from "node:util";
import { mockControl } from "../__tests__/support/raycast-api";
import { render } from "../__tests__/support/render";
import MenuBarCommand from "../src/menu-bar";
import { menuToText } from "./text-menu";

async function main() {
  const { values } = parseArgs({
    options: {
      "codex-home": { type: "string" },
      "claude-config-dir": { type: "string" },
      "no-tooltips": { type: "boolean", default: false },
    },
  });
  mockControl.setPreferences({
    codexHome: values["codex-home"] ?? "",
    claudeConfigDir: values["claude-config-dir"] ?? "",
  });
  const view = await render(<MenuBarCommand />);
  console.log(menuToText(view.root(), { tooltips: !values["no-tooltips"] }));
  await view.unmount();
}

main().catch((error) => {
  console.error(`preview failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
