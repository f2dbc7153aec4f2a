import { mockControl } from "./raycast-api";
import { removeTempDirs } from "./temp";

beforeEach(() => mockControl.reset());
afterAll(() => removeTempDirs());
