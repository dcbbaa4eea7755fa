import { describe, expectTypeOf, it } from "vitest";
import type { ApiBody, ApiResponse } from "./generated";
import type { Profile, Session } from "./models";
import type { components } from "./schema";

// Type-level checks (tsc runs them in `npm run build`): landed routes use the generated types.
describe("generated API types", () => {
  it("uses the OpenAPI types for routes that exist", () => {
    // The v1.1 verification flags are added (optional) until the generated schema has them.
    type Flags = "phone_verified" | "email_verified";
    expectTypeOf<Omit<Profile, Flags>>().toEqualTypeOf<Omit<components["schemas"]["ProfileOut"], Flags>>();
    expectTypeOf<Profile["phone_verified"]>().toExtend<boolean | undefined>();
    expectTypeOf<Session>().toEqualTypeOf<components["schemas"]["SessionOut"]>();
    expectTypeOf<ApiBody<"/api/v1/auth/register", "post", never>>().toEqualTypeOf<
      components["schemas"]["RegisterRequest"]
    >();
  });
  it("falls back to the contract for routes that do not exist", () => {
    expectTypeOf<ApiResponse<"/api/v1/nope", "get", { fallback: true }>>().toEqualTypeOf<{ fallback: true }>();
  });
});
