// The `test` every spec uses: it keeps the browser on loopback and fails a test on any page
// error or console error, and it has helpers for signing in.
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type ConsoleMessage, type Locator, type Page } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "../accounts";

export { expect, ADMIN_EMAIL, ADMIN_PASSWORD };

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
// Chromium's own PDF viewer (an extension built into the browser, with its resources), which
// shows a previewed document: part of the browser, not a host.
const BROWSER_BUILT_IN = ["chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/", "chrome://resources/"];

// Chromium logs "Failed to load resource: ... status of N" for every fetch that gets a 4xx.
// These API answers are expected (not signed in yet, wrong password, validation errors) and
// the app handles them (412: a change made elsewhere meanwhile); any other console error fails
// the test.
const EXPECTED_API_STATUSES = /Failed to load resource: the server responded with a status of (401|409|412|422)\b/;

function expectedConsoleError(message: ConsoleMessage): boolean {
  const url = message.location().url ?? "";
  return EXPECTED_API_STATUSES.test(message.text()) && new URL(url, "http://localhost").pathname.startsWith("/api/");
}

type Guard = { offHostRequests: string[]; pageErrors: string[] };

export const test = base.extend<{ guard: Guard }>({
  guard: [
    async ({ context, page }, use) => {
      const guard: Guard = { offHostRequests: [], pageErrors: [] };
      await context.route("**/*", (route) => {
        const url = new URL(route.request().url());
        if (LOCAL_HOSTS.has(url.hostname) || BROWSER_BUILT_IN.some((prefix) => url.href.startsWith(prefix))) {
          return route.fallback();
        }
        guard.offHostRequests.push(url.href);
        return route.abort("blockedbyclient");
      });
      page.on("pageerror", (error) => guard.pageErrors.push(`pageerror: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error" && !expectedConsoleError(message)) {
          guard.pageErrors.push(`console.error: ${message.text()} (${message.location().url})`);
        }
      });
      await use(guard);
      expect(guard.offHostRequests, "requests to hosts other than localhost").toEqual([]);
      expect(guard.pageErrors, "page errors and console errors").toEqual([]);
    },
    { auto: true },
  ],
});

/** Signs in through the form and waits for the home page. */
export async function signIn(page: Page, email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Home" })).toBeVisible();
  await expect(page).toHaveURL(/\/$/);
}

/** A new email address for each run, so tests never depend on each other's data. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;
}

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** Fails, listing them, when axe finds violations of the WCAG 2.2 AA tags on the page as it is. */
export async function expectNoViolations(page: Page, state: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const found = results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ")),
  }));
  expect(found, `axe violations on ${state}`).toEqual([]);
}

/** Fails when the page scrolls sideways at the current viewport (WCAG 1.4.10 reflow). */
export async function expectNoHorizontalScroll(page: Page, state: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `horizontal overflow in px on ${state}`).toBeLessThanOrEqual(0);
}

/** Presses Tab (Shift+Tab with `back`) until `target` has focus: how a keyboard user gets there. */
export async function tabTo(page: Page, target: Locator, back = false): Promise<void> {
  for (let presses = 0; presses < 80; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) {
      return;
    }
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  throw new Error(`could not reach ${target} with the Tab key`);
}
