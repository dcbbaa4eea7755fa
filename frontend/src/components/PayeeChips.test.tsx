import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeServer, json, renderWithProviders } from "../test/render";
import { Send } from "../pages/Send";

afterEach(() => vi.unstubAllGlobals());

const party = (id: string, handle: string, name: string) => ({ user_id: id, handle, display_name: name });
const me = () => json(200, { user_id: "u1", handle: "bob", full_name: "Bob B", email: "b@x.eg", phone: "+201001234568", created_at: "2026-01-01T00:00:00Z", preferences: { language: "en" } });
const favourites = (items: unknown[]) => () => json(200, { items, next_cursor: null });

describe("Favourites and recent recipients on Send", () => {
  it("fills the recipient with one tap, shows someone once, and removes a favourite", async () => {
    const server = fakeServer({
      "GET /api/v1/users/me": me,
      "GET /api/v1/favourites": [
        favourites([{ id: "f1", nickname: "Aunt", recipient: party("u2", "alice.a", "Alice A."), created_at: "2026-11-25T10:00:00Z" }]),
        favourites([]),
      ],
      "GET /api/v1/recipients/recent": () =>
        json(200, {
          items: [
            { recipient: party("u2", "alice.a", "Alice A."), last_paid_at: "2026-11-25T10:00:00Z" },
            { recipient: party("u3", "carol", "Carol C."), last_paid_at: "2026-11-24T10:00:00Z" },
          ],
          next_cursor: null,
        }),
      "GET /api/v1/users/lookup": () => json(200, party("u3", "carol", "Carol C.")),
      "DELETE /api/v1/favourites/f1": () => new Response(null, { status: 204 }),
    });
    vi.stubGlobal("fetch", server.fetchImpl);
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<Send />);
    const favs = await screen.findByTestId("favourites");
    expect(within(favs).getByRole("button", { name: "Aunt" })).toBeInTheDocument();
    const recent = await screen.findByTestId("recent-recipients");
    expect(within(recent).queryByText("Alice A.")).not.toBeInTheDocument(); // already a favourite
    await user.click(within(favs).getByRole("button", { name: "Remove Aunt from favourites" }));
    await waitFor(() => expect(screen.queryByTestId("favourites")).not.toBeInTheDocument());
    expect(server.calls.filter((c) => c.method === "DELETE").map((c) => c.url)).toEqual(["/api/v1/favourites/f1"]);
    await user.click(within(screen.getByTestId("recent-recipients")).getByRole("button", { name: "Carol C." }));
    expect(await screen.findByTestId("recipient-name")).toHaveTextContent("Carol C.");
    expect(server.calls.find((c) => c.url.startsWith("/api/v1/users/lookup"))!.url).toContain("q=carol");
  });
});
