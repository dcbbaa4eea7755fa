import { describe, expect, it } from "vitest";
import { rolesOf } from "./roles";

const b64url = (o: object) => btoa(JSON.stringify(o)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const jwt = (claims: object) => `${b64url({ alg: "EdDSA" })}.${b64url(claims)}.signature`;

describe("rolesOf", () => {
  it("reads the roles claim of an access token", () => {
    expect(rolesOf(jwt({ sub: "u1", roles: ["admin"] }))).toEqual(["admin"]);
    expect(rolesOf(jwt({ sub: "u1", roles: [] }))).toEqual([]);
    expect(rolesOf(jwt({ sub: "u1" }))).toEqual([]);
  });
  it("gives no roles for no token or a malformed one", () => {
    expect(rolesOf(null)).toEqual([]);
    expect(rolesOf("not-a-jwt")).toEqual([]);
    expect(rolesOf("a.%%%.c")).toEqual([]);
  });
});
