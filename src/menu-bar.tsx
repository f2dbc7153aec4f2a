import { AgentLimitsMenu } from "./raycast/components/AgentLimitsMenu";
import { useSourceStates } from "./raycast/hooks/useSourceStates";
import { buildMenuModel } from "./view/menu-model";
import { getSettings } from "./raycast/settings";

export default function MenuBarCommand() {
  const settings = getSettings();
  const { states, isLoading } = useSourceStates(settings);
  return <AgentLimitsMenu model={buildMenuModel(states, settings, Date.now())} isLoading={isLoading} />;
}
