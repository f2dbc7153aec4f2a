import { AgentLimitsMenu } from "./components/AgentLimitsMenu";
import { useSourceStates } from "./hooks/useSourceStates";
import { buildMenuModel } from "./lib/menu-model";
import { getSettings } from "./lib/raycast/settings";

export default function MenuBarCommand() {
  const settings = getSettings();
  const { states, isLoading } = useSourceStates(settings);
  return <AgentLimitsMenu model={buildMenuModel(states, settings, Date.now())} isLoading={isLoading} />;
}
