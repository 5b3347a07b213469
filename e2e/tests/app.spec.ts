// The SPA's main journeys, against the real server.
import { test, expect, expectNoViolations, signIn, uniqueEmail, ADMIN_EMAIL } from "./fixtures";

test("signing in with the administrator password shows the home page", async ({ page }) => {
  await page.goto("/");
  // Not signed in: the SPA sends the browser to the sign-in page.
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to Casedesk" })).toBeVisible();
  await expect(page).toHaveTitle("Sign in - Casedesk");

  await signIn(page);
  await expect(page).toHaveTitle("Home - Casedesk");
  await expect(page.locator("#signed-in-as")).toContainText(/Signed in as .+ of tenant .+/);
  // Home is the officer's work; what they may do is folded away below it.
  await expect(page.getByRole("table", { name: "Your open queries" }).or(page.locator("#my-work"))).toBeVisible();
  await page.getByText("What you can do").click();
  await expect(page.getByRole("table", { name: "Your permissions" })).toContainText("Administration");
  const header = page.getByRole("banner");
  await expect(header.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Administration" })).toBeVisible();
});

test("the user list shows the administrator", async ({ page }) => {
  await signIn(page);
  // Administration is one item of the menu; its pages have a menu of their own.
  await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Administration" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Administration" })).toBeVisible();
  await expectNoViolations(page, "administration");
  await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Users" }).click();
  await expect(page).toHaveURL(/\/users$/);
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: ADMIN_EMAIL });
  await expect(row).toHaveCount(1);
  await expect(row.locator(".govuk-tag")).toHaveText("Active");
  await expect(page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Users" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  // The menu's Administration item marks the section without being the page itself.
  await expect(page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Administration" })).toHaveAttribute(
    "aria-current",
    "true",
  );
});

test("adding a user through the form shows them in the list", async ({ page }) => {
  const email = uniqueEmail("added");
  await signIn(page);
  await page.goto("/users");
  await page.getByRole("button", { name: "Add a user" }).click();
  await expect(page).toHaveURL(/\/users\/new$/);
  await expect(page).toHaveTitle("Add a user - Casedesk");

  await page.getByLabel("Full name").fill("Ada Lovelace");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("an-entirely-adequate-password");
  const groups = page.locator(".govuk-checkboxes__input");
  if ((await groups.count()) > 0) {
    await groups.first().check();
  }
  await page.getByRole("button", { name: "Add user" }).click();

  await expect(page).toHaveURL(/\/users$/);
  const banner = page.locator(".govuk-notification-banner--success");
  await expect(banner).toContainText("Ada Lovelace has been added");
  await expect(banner).toBeFocused();
  await expect(page.getByRole("row").filter({ hasText: email })).toContainText("Ada Lovelace");
});

test("adding a user with an email address already in use shows an error against it", async ({ page }) => {
  await signIn(page);
  await page.goto("/users/new");
  await page.getByLabel("Full name").fill("Another Admin");
  await page.getByLabel("Email address").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill("an-entirely-adequate-password");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.locator(".govuk-error-summary")).toBeFocused();
  await expect(page.locator("#email-error")).toContainText("already exists");
  await expect(page).toHaveTitle("Error: Add a user - Casedesk");
});

test("a wrong password shows the error state", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();

  const summary = page.locator(".govuk-error-summary");
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(summary.getByRole("link", { name: "Enter a correct email address and password" })).toHaveAttribute(
    "href",
    "#email",
  );
  await expect(page.locator("#email-error")).toContainText("Enter a correct email address and password");
  await expect(page.getByLabel("Email address")).toHaveAttribute("aria-describedby", /email-error/);
  await expect(page).toHaveTitle("Error: Sign in - Casedesk");
  await expect(page.getByLabel("Password")).toHaveValue("");

  // The summary link moves focus to the field it names.
  await summary.getByRole("link").click();
  await expect(page.getByLabel("Email address")).toBeFocused();
});

test("signing out returns to sign-in and ends the session", async ({ page }) => {
  await signIn(page);
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to Casedesk" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  const me = await page.request.get("/api/v1/me");
  expect(me.status()).toBe(401);
  // Going back to a signed-in page now lands on sign-in again, which will return there.
  await page.goto("/users");
  await expect(page).toHaveURL(/\/sign-in\?return_to=%2Fusers$/);
});

test("a deep link typed while signed in loads the SPA on that page", async ({ page }) => {
  await signIn(page);
  await page.goto("/users");
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: ADMIN_EMAIL })).toHaveCount(1);
  await page.goto("/users/new");
  await expect(page.getByRole("heading", { level: 1, name: "Add a user" })).toBeVisible();
});

test("an unknown address shows the not-found page", async ({ page }) => {
  await signIn(page);
  await page.goto("/no/such/page");
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(page).toHaveTitle("Page not found - Casedesk");
});
