import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ApiError } from "../api/http";
import { renderWithProviders } from "../test/render";
import { ErrorBanner } from "./ErrorBanner";

const frozen = (whose?: string) =>
  new ApiError(423, "account_frozen", "frozen", [], undefined, undefined, whose ? { code: "account_frozen", frozen_wallet: whose } : {});

describe("A frozen wallet's refusal says whose wallet it is", () => {
  it("tells a sender that the recipient's wallet is frozen", () => {
    renderWithProviders(<ErrorBanner error={frozen("recipient")} />);
    expect(screen.getByRole("alert")).toHaveTextContent("The recipient's wallet is frozen; they cannot receive money now.");
  });

  it("tells the owner that their own wallet is frozen, in Arabic too", () => {
    renderWithProviders(<ErrorBanner error={frozen("own")} />, { lang: "ar" });
    expect(screen.getByRole("alert")).toHaveTextContent("محفظتك مجمّدة");
  });

  it("keeps the general wording when the server does not say whose", () => {
    renderWithProviders(<ErrorBanner error={frozen()} />);
    expect(screen.getByRole("alert")).toHaveTextContent("This wallet is frozen.");
  });
});
