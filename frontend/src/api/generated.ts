// Types taken from the generated schema (schema.d.ts, `make frontend-api`, never edited by hand).
// A route that has not landed in the backend yet falls back to the contract's shape, so the app
// type-checks against the real OpenAPI as soon as a route exists, and against the contract before.
import type { paths } from "./schema";

type Json<R> = R extends { content: { "application/json": infer B } } ? B : never;
type Success<Op> = Op extends { responses: infer R }
  ? Json<R[200 & keyof R]> | Json<R[201 & keyof R]>
  : never;
type Body<Op> = Op extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

// An untyped body (a bare dict in the service: `unknown` or a string index) says nothing: the
// contract's shape is more precise then.
type Precise<T, Fallback> = [T] extends [never] ? Fallback : unknown extends T ? Fallback : string extends keyof T ? Fallback : T;

/** The success body of `METHOD path` from the OpenAPI, else `Fallback`. */
export type ApiResponse<P extends string, M extends string, Fallback> = P extends keyof paths
  ? M extends keyof paths[P]
    ? Precise<Success<paths[P][M]>, Fallback>
    : Fallback
  : Fallback;

/** The JSON request body of `METHOD path` from the OpenAPI, else `Fallback`. */
export type ApiBody<P extends string, M extends string, Fallback> = P extends keyof paths
  ? M extends keyof paths[P]
    ? Precise<Body<paths[P][M]>, Fallback>
    : Fallback
  : Fallback;
