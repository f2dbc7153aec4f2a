import { rmSync } from "node:fs";
import { environment, mockControl } from "./raycast-api";
import { removeTempDirs } from "./temp";

beforeEach(() => mockControl.reset());
afterAll(() => {
  removeTempDirs();
  rmSync(environment.supportPath, { recursive: true, force: true });
});
