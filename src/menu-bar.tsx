import { useMemo, useState } from "react";
import { AgentLimitsMenu } from "./raycast/components/AgentLimitsMenu";
import { useSourceStates } from "./raycast/hooks/useSourceStates";
import { buildMenuModel } from "./view/menu-model";
import { getSettings } from "./raycast/settings";

/**
 * Preferences cannot change while a menu-bar command runs (Raycast launches it again), so they are read once;
 * the model is built again only for new states, and the menu is not rendered again for a render that
 * changes neither (usePromise's loading flag flips once before the load ends).
 */
export default function MenuBarCommand() {
  const [settings] = useState(getSettings);
  const { states, isLoading } = useSourceStates(settings);
  const model = useMemo(() => buildMenuModel(states, settings, Date.now()), [states, settings]);
  return <AgentLimitsMenu model={model} isLoading={isLoading} />;
}
