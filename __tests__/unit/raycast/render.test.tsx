import { MenuBarExtra } from "@raycast/api";
import { useEffect, useState } from "react";
import { press, render } from "../../support/render";

function Counter() {
  const [count, setCount] = useState(0);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    Promise.resolve().then(() => setLoaded(true));
  }, []);
  return (
    <MenuBarExtra title={`${count}`} isLoading={!loaded}>
      <MenuBarExtra.Item title="Add" onAction={() => setCount((c) => c + 1)} />
    </MenuBarExtra>
  );
}

test("the host renderer renders, settles effects and runs actions", async () => {
  const view = await render(<Counter />);
  expect(view.root().type).toBe("menubar-extra");
  expect(view.root().props.isLoading).toBe(false);
  const [add] = view.findAll("menubar-item");
  await press(add);
  expect(view.root().props.title).toBe("1");
  await view.unmount();
  expect(view.roots()).toHaveLength(0);
});
