import { mockControl } from "./raycast-api";

beforeEach(() => mockControl.reset());
