import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ar } from "./ar";
import { en } from "./en";
import { I18nProvider, useI18n } from "./I18nProvider";

function Switcher() {
  const { t, setLang, lang, money } = useI18n();
  return (
    <div>
      <p>{t("nav.send")}</p>
      <p data-testid="amount">{money("1500")}</p>
      <button onClick={() => setLang(lang === "en" ? "ar" : "en")}>switch</button>
    </div>
  );
}

describe("language switch", () => {
  it("switches to Arabic with a right-to-left document and amounts in Arabic (Latin digits, Arabic currency symbol)", async () => {
    const user = userEvent.setup({ delay: null });
    render(
      <I18nProvider lang="en">
        <Switcher />
      </I18nProvider>,
    );
    expect(document.documentElement.dir).toBe("ltr");
    expect(screen.getByTestId("amount")).toHaveTextContent("1,500.00");
    await user.click(screen.getByRole("button", { name: "switch" }));
    expect(document.documentElement.dir).toBe("rtl");
    expect(document.documentElement.lang).toBe("ar");
    expect(screen.getByText("إرسال")).toBeInTheDocument();
    expect(screen.getByTestId("amount")).toHaveTextContent("1,500.00 ج.م.");
    await user.click(screen.getByRole("button", { name: "switch" }));
    expect(document.documentElement.dir).toBe("ltr");
  });

  it("has an Arabic text for every English one, with the same placeholders", () => {
    for (const [key, text] of Object.entries(en)) {
      const arabic = ar[key as keyof typeof en];
      expect(arabic, key).toBeTruthy();
      expect((arabic.match(/\{\w+\}/g) ?? []).sort(), key).toEqual((text.match(/\{\w+\}/g) ?? []).sort());
    }
  });
});
