"""Steps a user takes in the web app, written as a user would do them (labels, buttons)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from instapay_stack.e2e import TestUser, login, unique_identity, verify_contact
from instapay_stack.message_sinks import code_in, mail_dir_for, mail_texts, wait_for_code

PIN = "246810"


class SmsInbox:
    """The local stack's SMS sink: one file per message in the data dir's sms/ folder, with a
    `To: <phone>` line; a verification or reset message holds its code as its only 6-digit number."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def seen(self) -> set[str]:
        """Names of the messages already there (a later code_for looks only at newer ones)."""
        return {p.name for p in self.directory.glob("*.txt")} if self.directory.is_dir() else set()

    def code_for(self, phone: str, *, since: set[str], timeout: float = 30.0) -> str:
        """The code in the newest message to `phone` that was not in `since`."""
        deadline = time.monotonic() + timeout
        while True:
            fresh = [p for p in self.directory.glob("*.txt") if p.name not in since] if self.directory.is_dir() else []
            for path in sorted(fresh, key=lambda p: p.stat().st_mtime, reverse=True):
                text = path.read_text(encoding="utf-8")
                if f"To: {phone}" in text.splitlines() and (code := code_in(text)) is not None:
                    return code
            if time.monotonic() > deadline:
                raise AssertionError(f"no code sent to {phone} within {timeout} s in {self.directory}")
            time.sleep(0.3)


def local_form(phone: str) -> str:
    """+201001234567 as Egyptians type it: 01001234567."""
    assert phone.startswith("+20"), phone
    return "0" + phone[3:]


@dataclass
class WebUser:
    full_name: str
    email: str
    phone: str
    handle: str
    password: str


def new_identity(first_name: str) -> WebUser:
    ident = unique_identity()
    return WebUser(
        full_name=f"{first_name} Tester",
        email=ident["email"],
        phone=ident["phone"],
        handle=ident["handle"],
        password="Web!Flow-" + ident["handle"][-6:] + "Zq9",
    )


@dataclass(frozen=True)
class SignUpText:
    """The sign-up screens' labels in one language (the steps find fields by label, as a user would)."""

    full_name: str
    email: str
    phone: str
    handle: str
    password: str
    create: str
    pin_title: str
    pin: str
    pin_confirm: str
    pin_set: str
    balance: str
    verify_phone: str
    code: str
    verify: str
    verify_email: str
    skip: str


EN = SignUpText(
    "Full name",
    "Email",
    "Mobile number",
    "Payment handle",
    "Password",
    "Create account",
    "Set your transaction PIN",
    "Transaction PIN",
    "Confirm PIN",
    "Set PIN and continue",
    "Balance",
    "Verify your mobile number",
    "6-digit code",
    "Verify",
    "Verify your email (optional)",
    "Skip for now",
)
AR = SignUpText(
    "الاسم الكامل",
    "البريد الإلكتروني",
    "رقم الهاتف",
    "معرّف الدفع",
    "كلمة المرور",
    "إنشاء الحساب",
    "عيّن الرقم السري للمعاملات",
    "الرقم السري للمعاملات",
    "تأكيد الرقم السري",
    "تعيين الرقم والمتابعة",
    "الرصيد",
    "أكّد رقم هاتفك",
    "الرمز المكوّن من 6 أرقام",
    "تأكيد",
    "أكّد بريدك الإلكتروني (اختياري)",
    "تخطَّ الآن",
)


def sign_up(
    page: Page,
    user: WebUser,
    sms: SmsInbox,
    *,
    text: SignUpText = EN,
    audit: bool = False,
    phone_as_typed: str | None = None,
    shots: Path | None = None,
    suffix: str = "",
) -> None:
    """Registers, verifies the phone with the code from the SMS sink, sets the PIN and skips the
    e-mail step. With audit, every screen is checked with axe, and an empty submit first shows the
    errors with focus on the first invalid field. With shots, the new screens are photographed
    (verify-phone{suffix}.png, pin{suffix}.png, verify-email{suffix}.png).

    A server that does not report verification (GET /users/me without phone_verified) skips the
    two code steps, and so does this helper; the acceptance test (test_identity.py) requires them."""
    page.goto("/register")
    expect(page.get_by_label(text.full_name)).to_be_visible()
    if audit:
        check_a11y(page, "register")
        page.get_by_role("button", name=text.create).click()
        expect(page.get_by_label(text.full_name)).to_be_focused()
        expect(page.get_by_label(text.full_name)).to_have_attribute("aria-invalid", "true")
        check_a11y(page, "register with errors shown")
    page.get_by_label(text.full_name).fill(user.full_name)
    page.get_by_label(text.email).fill(user.email)
    page.get_by_label(text.phone).fill(phone_as_typed or user.phone)
    page.get_by_label(text.handle).fill(user.handle)
    page.get_by_label(text.password, exact=True).fill(user.password)
    before = sms.seen()
    page.get_by_role("button", name=text.create).click()
    next_step = f"^({re.escape(text.verify_phone)}|{re.escape(text.pin_title)})$"
    step = page.get_by_role("heading", name=re.compile(next_step))
    expect(step).to_be_visible()
    verifies = step.inner_text() == text.verify_phone
    if verifies:
        verify_with_code(page, sms.code_for(user.phone, since=before), text)
        if audit:
            check_a11y(page, "register: phone verification")
        if shots:
            page.screenshot(path=shots / f"verify-phone{suffix}.png", full_page=True)
        page.get_by_role("button", name=text.verify, exact=True).click()
    expect(page.get_by_role("heading", name=text.pin_title)).to_be_visible()
    if audit:
        check_a11y(page, "register: PIN setup")
    page.get_by_label(text.pin).fill(PIN)
    page.get_by_label(text.pin_confirm).fill(PIN)
    if shots:
        page.screenshot(path=shots / f"pin{suffix}.png", full_page=True)
    page.get_by_role("button", name=text.pin_set).click()
    if verifies:
        expect(page.get_by_role("heading", name=text.verify_email)).to_be_visible()
        if audit:
            check_a11y(page, "register: e-mail verification")
        if shots:
            page.screenshot(path=shots / f"verify-email{suffix}.png", full_page=True)
        page.get_by_role("button", name=text.skip).click()
    expect(page.get_by_test_id("balance")).to_be_visible()
    verify_contacts(page, user, phone=not verifies)


def verify_contacts(page: Page, user: WebUser, *, phone: bool = True) -> None:
    """Verifies the new account's e-mail (skipped in the walk-through), and its phone unless the
    walk-through did, through the API with the codes the stack sent (money waits for a verified
    phone; an e-mail is a recipient once verified)."""
    gateway = "/".join(page.url.split("/", 3)[:3])
    tokens = login(gateway, user.handle, user.password)
    api_user = TestUser(
        user_id="",
        email=user.email,
        phone=user.phone,
        handle=user.handle,
        password=user.password,
        full_name=user.full_name,
        access_token=tokens["access_token"],
    )
    if phone:
        verify_contact(gateway, api_user, "phone")
        verify_contact(gateway, api_user, "email")
        return
    # The walk-through's e-mail step sent a code already (a new one may not be asked for within a
    # minute): the newest code mailed to this new address is the live one.
    wait_for_code(directory=mail_dir_for(gateway), to=user.email, seen=set(), email=True)
    code = [c for _, text in mail_texts(mail_dir_for(gateway), user.email) if (c := code_in(text))][-1]
    r = httpx.post(gateway + "/api/v1/auth/verify/email", json={"code": code}, headers=api_user.auth_headers())
    assert r.status_code == 204, r.text


def verify_with_code(page: Page, code: str, text: SignUpText = EN) -> None:
    """Types the code on the code screen (the caller presses Verify, after a screenshot if it likes)."""
    field = page.get_by_label(text.code)
    page.bring_to_front()  # focus is judged in the window in front (another person's page may be)
    expect(field).to_be_focused()
    field.fill(code)


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


# The phone's tab bar keeps Home, Send, Requests and History; the rest is under More.
MORE = re.compile(r"^(More|المزيد)$")
# Dashboard's link in the phone's tab bar is "Home" (the same word in Arabic).
PHONE_NAMES = {"Dashboard": "Home"}


def open_more_if_needed(page: Page, link) -> None:
    """On a phone the link may be under More: opens the More sheet when the link is not shown."""
    more = page.get_by_role("navigation").get_by_role("button", name=MORE)
    # Right after a sign-in or a navigation the menu may not be drawn yet: wait for the link or
    # the More button before deciding (a check made too early left the sheet closed).
    expect(link.or_(more).first).to_be_visible()
    if link.count() == 0 and more.count() == 1 and more.get_attribute("aria-expanded") != "true":
        more.click()


def nav(page: Page, name: str) -> None:
    """Follows a link of the main navigation (the only navigation landmark shown, in either
    language: the top menu on a desktop, the tab bar and its More sheet on a phone) and waits until
    the app is on that route: a field filled before the new page has rendered would land in the old
    page's form (the dashboard has an amount field too)."""
    navigation = page.get_by_role("navigation")
    expect(navigation).to_be_visible()
    link = navigation.get_by_role("link", name=name, exact=True)
    if link.count() == 0 and name in PHONE_NAMES:
        link = navigation.get_by_role("link", name=PHONE_NAMES[name], exact=True)
    open_more_if_needed(page, link)
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


def withdraw(page: Page, amount: str, iban: str = "EG380019000500000000263180002") -> None:
    """Requests a withdrawal: the answer is always pending (the bank confirms it later)."""
    nav(page, "Top up & withdraw")
    form = page.get_by_role("region", name="Withdraw")
    form.get_by_label("Amount (EGP)").fill(amount)
    form.get_by_label("Bank account (IBAN)").fill(iban)
    form.get_by_label("Transaction PIN").fill(PIN)
    form.get_by_role("button", name="Withdraw", exact=True).click()
    expect(form.get_by_role("status")).to_contain_text("we'll notify you when it is done")
    # The form is emptied: the same withdrawal cannot go out twice by a second click.
    expect(form.get_by_label("Amount (EGP)")).to_have_value("")
    expect(form.get_by_label("Bank account (IBAN)")).to_have_value("")


def log_out(page: Page) -> None:
    """The log-out button: in the top bar on a desktop, under More on a phone (either language)."""
    name = re.compile(r"^(Log out|تسجيل الخروج)$")
    button = page.get_by_role("button", name=name)
    if button.count() == 0:
        page.get_by_role("navigation").get_by_role("button", name=MORE).click()
    button.click()


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


# --- Accessibility (WCAG 2.1 AA), checked by axe-core in the real browser -----------------------

AXE_JS = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Screen-reader users move by landmarks and headings: these best-practice rules (outside the WCAG
# tags) are held too.
AXE_EXTRA_RULES = [
    "landmark-one-main",
    "region",
    "heading-order",
    "page-has-heading-one",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-main",
    "aria-allowed-role",
    "empty-heading",
]
_AXE_RUN = """async ([tags, extra]) => {
  const rules = Object.fromEntries(extra.map((id) => [id, {enabled: true}]));
  const r = await axe.run(document, {runOnly: {type: "tag", values: tags}, rules, resultTypes: ["violations"]});
  return r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.flat().join(" "), summary: n.failureSummary || ""}))}));
}"""


def axe_violations(page: Page) -> list[dict]:
    """Runs axe-core on the page as it is now (injected again after a full page load)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(_AXE_RUN, [AXE_TAGS, AXE_EXTRA_RULES])


def check_a11y(page: Page, screen: str) -> None:
    """Fails with a readable list (rule, impact, target, help) if axe finds any violation."""
    violations = axe_violations(page)
    if not violations:
        return
    width = page.viewport_size["width"] if page.viewport_size else "?"
    lang = page.evaluate("() => `${document.documentElement.lang}/${document.documentElement.dir}`")
    lines = [f"{len(violations)} accessibility rule(s) broken on {screen!r} [{lang}, {width}px] {page.url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            summary = " ".join(node["summary"].split())[:300]
            lines.append(f"    {node['target']}: {summary}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    raise AssertionError("\n".join(lines))


_FOCUS_RING = """() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  return {ring: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
          what: `${el.tagName.toLowerCase()} ${el.getAttribute("aria-label") || el.textContent.trim().slice(0, 40)}`};
}"""


def tab_to(page: Page, target, *, limit: int = 30) -> None:
    """Presses Tab until target has focus (it must be reachable by keyboard), checking that every
    control passed on the way shows a visible focus ring."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(_FOCUS_RING)
        assert focus["ring"], f"no visible focus ring on {focus['what']!r} ({page.url})"
        if target.evaluate("(el) => el === document.activeElement"):
            return
    raise AssertionError(f"{target} not reached with {limit} presses of Tab")


# Every screen behind the main navigation, by link target (the same in either language).
SCREENS = ["/", "/send", "/requests", "/wallet", "/history", "/reports", "/profile", "/security"]


def wait_loaded(page: Page) -> None:
    """The screen's data is in: no loading placeholder (role=status, class muted) left in main."""
    expect(page.locator("main p.muted[role=status]")).to_have_count(0)


def go(page: Page, path: str) -> None:
    """Follows the main navigation's link to path, in any language, and waits for its data."""
    link = page.get_by_role("navigation").locator(f'a[href="{path}"]')
    open_more_if_needed(page, link)
    link.click()
    expect(page).to_have_url(re.compile(re.escape(path) + r"(\?.*)?$"))
    expect(page.get_by_role("main").get_by_role("heading").first).to_be_visible()
    wait_loaded(page)


def audit_every_screen(page: Page, where: str) -> None:
    """axe on every main screen, the send form with a validation error, and the bell open."""
    for path in SCREENS:
        go(page, path)
        check_a11y(page, f"{path} ({where})")
        if path == "/send":
            page.get_by_role("main").locator("form button[type=submit]").click()
            expect(page.get_by_role("main").locator("[aria-invalid=true]").first).to_be_focused()
            check_a11y(page, f"send with a validation error ({where})")
    bell = page.get_by_role("banner").locator(".bell > button")
    bell.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator("li, .empty").first).to_be_visible()
    check_a11y(page, f"notifications open ({where})")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(bell).to_be_focused()  # focus returns to the button that opened it


# --- webui: the app's own words, and the profile's language ------------------------------------

I18N_DIR = Path(__file__).resolve().parents[1] / "src" / "i18n"


def app_messages(lang: str) -> dict[str, str]:
    """The app's strings (src/i18n/<lang>.ts), so a test reads the screen with the words a person sees."""
    import json

    text = (I18N_DIR / f"{lang}.ts").read_text(encoding="utf-8")
    return {k: json.loads(f'"{v}"') for k, v in re.findall(r'^\s*"([\w.:]+)": "((?:[^"\\]|\\.)*)",$', text, re.M)}


def use_language(page: Page, user: WebUser, lang: str) -> str:
    """Saves the profile's language (what a person picks in Profile), opens the app again in it,
    and returns a bearer token of the user for API calls the test makes beside the browser."""
    gateway = "/".join(page.url.split("/", 3)[:3])
    token = login(gateway, user.handle, user.password)["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    r = httpx.patch(gateway + "/api/v1/users/me", json={"preferences": {"language": lang}}, headers=auth)
    assert r.status_code == 200, r.text
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    return token
