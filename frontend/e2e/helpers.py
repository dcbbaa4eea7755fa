"""Steps a user takes in the web app, written as a user would do them (labels, buttons)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from playwright.sync_api import Page, expect

from instapay_stack.e2e import unique_identity

PIN = "246810"


@dataclass
class WebUser:
    full_name: str
    email: str
    phone: str
    handle: str
    password: str


def new_identity(first_name: str) -> WebUser:
    ident = unique_identity()
    return WebUser(full_name=f"{first_name} Tester", email=ident["email"], phone=ident["phone"],
                   handle=ident["handle"], password="Web!Flow-" + ident["handle"][-6:] + "Zq9")


def sign_up(page: Page, user: WebUser) -> None:
    page.goto("/register")
    page.get_by_label("Full name").fill(user.full_name)
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Mobile number").fill(user.phone)
    page.get_by_label("Payment handle").fill(user.handle)
    page.get_by_label("Password", exact=True).fill(user.password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Set your transaction PIN")).to_be_visible()
    page.get_by_label("Transaction PIN").fill(PIN)
    page.get_by_label("Confirm PIN").fill(PIN)
    page.get_by_role("button", name="Set PIN and continue").click()
    expect(page.get_by_role("heading", name="Balance")).to_be_visible()


def log_in(page: Page, user: WebUser) -> None:
    page.goto("/login")
    page.get_by_label("Email, phone or handle").fill(user.handle)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Balance")).to_be_visible()


def money_re(amount: str) -> re.Pattern[str]:
    """The en-EG rendering of an amount, e.g. 1,250.50 (currency symbol placement aside)."""
    whole, frac = amount.split(".")
    return re.compile(re.escape(f"{int(whole):,}.{frac}"))


def expect_balance(page: Page, amount: str, timeout: float = 20_000) -> None:
    expect(page.get_by_test_id("balance")).to_have_text(money_re(amount), timeout=timeout)


def nav(page: Page, name: str) -> None:
    """Follows a link of the main navigation (the only navigation landmark, in either language)
    and waits until the app is on that route: a field filled before the new page has rendered
    would land in the old page's form (the dashboard has an amount field too)."""
    link = page.get_by_role("navigation").get_by_role("link", name=name, exact=True)
    href = link.get_attribute("href") or ""
    link.click()
    expect(page).to_have_url(re.compile(re.escape(href) + r"(\?.*)?$"))
    expect(page.get_by_role("main")).to_be_visible()


def top_up(page: Page, amount: str) -> None:
    nav(page, "Top up & withdraw")
    form = page.get_by_role("region", name="Top up")
    form.get_by_label("Amount (EGP)").fill(amount)
    form.get_by_label("Card or account reference").fill("4111-TEST")
    form.get_by_role("button", name="Top up", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Added")).to_be_visible()


def open_bell(page: Page) -> None:
    page.get_by_role("button", name=re.compile("^Notifications")).click()
    expect(page.get_by_role("dialog", name="Notifications")).to_be_visible()


def unread_count(page: Page) -> int:
    badge = page.get_by_test_id("unread-count")
    return int(badge.inner_text().rstrip("+")) if badge.count() else 0


def poll(check, *, timeout: float = 30.0, every: float = 1.0, what: str = "condition") -> None:
    """For eventually consistent read models (reports): retry a check until it holds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            check()
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}") from None
            time.sleep(every)
