import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// findBy*/waitFor wait 1 s by default: on a shared 2-core machine (CI, a parallel `make test`)
// a render after a mocked call has taken longer, failing a test that is right.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => cleanup());
