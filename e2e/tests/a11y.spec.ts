// WCAG 2.2 AA: axe finds no violations on any page or state, error states included, and the
// pages reflow at 320 CSS pixels. The API reference at /docs/ is scanned in docs.spec.ts;
// Swagger UI at /docs/swagger/ is third-party, has known gaps, and is not scanned.
import { test, expect, expectNoHorizontalScroll, expectNoViolations, signIn } from "./fixtures";

test("sign-in page, empty and with errors", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
  await expectNoViolations(page, "sign-in (empty)");

  // An empty submission: the API answers 422 with an error per field.
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator(".govuk-error-summary")).toBeFocused();
  await expect(page.locator(".govuk-error-message").first()).toBeVisible();
  await expect(page).toHaveTitle(/^Error: /);
  await expectNoViolations(page, "sign-in (errors)");
});

test("home page and user list", async ({ page }) => {
  await signIn(page);
  await expectNoViolations(page, "home");
  await page.goto("/users");
  await expect(page.getByRole("table")).toBeVisible();
  await expectNoViolations(page, "users list");
});

test("add-user form, empty and with errors", async ({ page }) => {
  await signIn(page);
  await page.goto("/users/new");
  await expect(page.getByRole("button", { name: "Add user" })).toBeVisible();
  await expectNoViolations(page, "add user (empty)");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.locator(".govuk-error-summary")).toBeFocused();
  await expect(page.locator(".govuk-error-message").first()).toBeVisible();
  await expectNoViolations(page, "add user (errors)");
});

test("not-found page", async ({ page }) => {
  await signIn(page);
  await page.goto("/no/such/page");
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expectNoViolations(page, "not found");
});

test.describe("at 320 CSS pixels wide", () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test("pages reflow without horizontal scrolling", async ({ page }) => {
    await page.goto("/sign-in");
    await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
    await expectNoHorizontalScroll(page, "sign-in");
    await signIn(page);
    await expectNoHorizontalScroll(page, "home");
    await page.goto("/users");
    await expect(page.getByRole("table")).toBeVisible();
    await expectNoHorizontalScroll(page, "users");
    await page.goto("/users/new");
    await expect(page.getByRole("button", { name: "Add user" })).toBeVisible();
    await expectNoHorizontalScroll(page, "add user");
  });
});
