// Customers: the list, adding one (with the duplicate warning), the customer page and changing
// details; and no axe violations in any of those states.
import type { Page } from "@playwright/test";
import { test, expect, expectNoHorizontalScroll, expectNoViolations, signIn, uniqueEmail } from "./fixtures";

type NewCustomer = { given_name: string; family_name: string; emails?: string[]; address?: { postcode: string } };

/** Creates a customer through the API as the signed-in user; returns its id. */
async function createCustomer(page: Page, customer: NewCustomer): Promise<string> {
  const response = await page.request.post("/api/v1/customers", {
    data: customer,
    headers: { "X-Casedesk-CSRF": "1" },
  });
  expect(response.status()).toBe(201);
  return (await response.json()).id;
}

/** Fills in the customer form's name and postcode (and email, when given). */
async function fillForm(page: Page, given: string, family: string, postcode: string, email?: string): Promise<void> {
  await page.getByLabel("Given name").fill(given);
  await page.getByLabel("Family name").fill(family);
  if (email) {
    await page.getByLabel("Email address (optional)").fill(email);
  }
  await page.getByLabel("Postcode").fill(postcode);
}

const WARNING = "This may be a customer who already exists";

test("adding a customer, then a likely duplicate of them", async ({ page }) => {
  const email = uniqueEmail("john");
  await signIn(page);
  await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Customers" }).click();
  await expect(page).toHaveURL(/\/customers$/);
  await expect(page.getByRole("heading", { level: 1, name: "Customers" })).toBeVisible();
  await page.getByRole("button", { name: "Add a customer" }).click();
  await expect(page).toHaveURL(/\/customers\/new$/);
  await expect(page).toHaveTitle("Add a customer - Casedesk");

  await fillForm(page, "John", "Smith", "BS1 6PN", email);
  await page.getByLabel("Address line 1").fill("1 High Street");
  await page.getByLabel("Town or city").fill("Bristol");
  await page.getByLabel("Contact needs (optional)").fill("Large print");
  await page.getByRole("button", { name: "Add customer" }).click();

  await expect(page).toHaveURL(/\/customers\/[0-9a-f-]{36}$/);
  const johnUrl = new URL(page.url()).pathname;
  const banner = page.locator(".govuk-notification-banner--success");
  await expect(banner).toContainText("John Smith has been added");
  await expect(banner).toBeFocused();
  await expect(page.getByRole("heading", { level: 1, name: "John Smith" })).toBeVisible();
  await expect(page.locator(".govuk-summary-list")).toContainText(email);
  await expect(page.locator(".govuk-summary-list")).toContainText("Large print");

  await page.goto("/customers");
  await expect(page.getByRole("row").filter({ hasText: email })).toContainText("BS1 6PN");

  // The same person again, the postcode typed differently: the app warns before creating.
  await page.goto("/customers/new");
  await fillForm(page, "Jon", "Smith", "bs16pn");
  await page.getByRole("button", { name: "Add customer" }).click();
  const warning = page.locator("#duplicate-warning");
  await expect(warning).toContainText(WARNING);
  await expect(warning).toBeFocused();
  await expect(page).toHaveURL(/\/customers\/new$/);
  const link = warning.locator(`a[href="${johnUrl}"]`);
  await expect(link).toHaveText("John Smith");
  await expect(warning).toContainText("a similar name and the same postcode");
  await warning.screenshot({ path: test.info().outputPath("duplicate-warning.png") });
  await link.click();
  await expect(page).toHaveURL(new RegExp(`${johnUrl}$`));
  await expect(page.getByRole("heading", { level: 1, name: "John Smith" })).toBeVisible();
});

test("a likely duplicate can be created anyway", async ({ page }) => {
  await signIn(page);
  const johnId = await createCustomer(page, {
    given_name: "John",
    family_name: "Smith",
    emails: [uniqueEmail("john")],
    address: { postcode: "BS1 6PN" },
  });
  await page.goto("/customers/new");
  await fillForm(page, "Jon", "Smith", "bs16pn", uniqueEmail("jon"));
  await page.getByRole("button", { name: "Add customer" }).click();
  await expect(page.locator(`#duplicate-warning a[href="/customers/${johnId}"]`)).toBeVisible();

  await page.getByRole("button", { name: "Create a new customer anyway" }).click();
  await expect(page).toHaveURL(/\/customers\/[0-9a-f-]{36}$/);
  expect(new URL(page.url()).pathname).not.toBe(`/customers/${johnId}`);
  await expect(page.locator(".govuk-notification-banner--success")).toContainText("Jon Smith has been added");
  await expect(page.getByRole("heading", { level: 1, name: "Jon Smith" })).toBeVisible();
  await expect(page.locator(".govuk-summary-list")).toContainText("BS1 6PN");
});

test("changing a customer's details", async ({ page }) => {
  await signIn(page);
  const id = await createCustomer(page, { given_name: "Mary", family_name: "Jones", emails: [uniqueEmail("mary")] });
  await page.goto(`/customers/${id}`);
  await page.getByRole("link", { name: "Change details" }).click();
  await expect(page).toHaveURL(new RegExp(`/customers/${id}/edit$`));
  await expect(page).toHaveTitle("Change customer details - Casedesk");
  await expect(page.getByLabel("Family name")).toHaveValue("Jones");

  await page.getByLabel("Family name").fill("Jones-Evans");
  await page.getByLabel("Town or city").fill("Cardiff");
  await page.getByRole("button", { name: "Save changes" }).click();

  await expect(page).toHaveURL(new RegExp(`/customers/${id}$`));
  await expect(page.locator(".govuk-notification-banner--success")).toContainText("details have been updated");
  await expect(page.getByRole("heading", { level: 1, name: "Mary Jones-Evans" })).toBeVisible();
  await expect(page.locator(".govuk-summary-list")).toContainText("Cardiff");
});

test("a change made elsewhere in the meantime is not overwritten", async ({ page }) => {
  await signIn(page);
  const id = await createCustomer(page, { given_name: "Ann", family_name: "Lee" });
  await page.goto(`/customers/${id}/edit`);
  await expect(page.getByLabel("Family name")).toHaveValue("Lee");
  const other = await page.request.put(`/api/v1/customers/${id}`, {
    data: { given_name: "Ann", family_name: "Lee-Other" },
    headers: { "X-Casedesk-CSRF": "1", "If-Match": '"1"' },
  });
  expect(other.status()).toBe(200);

  await page.getByLabel("Family name").fill("Leigh");
  await page.getByRole("button", { name: "Save changes" }).click();
  const summary = page.locator(".govuk-error-summary");
  await expect(summary).toBeFocused();
  await expect(summary).toContainText("Someone else has changed this customer since you opened it.");
  await expect(page).toHaveTitle(/^Error: /);
});

test("customer pages have no axe violations", async ({ page }) => {
  await signIn(page);
  const id = await createCustomer(page, {
    given_name: "John",
    family_name: "Smith",
    emails: [uniqueEmail("john")],
    address: { postcode: "BS1 6PN" },
  });
  await page.goto("/customers");
  await expect(page.getByRole("table")).toBeVisible();
  await expectNoViolations(page, "customer list");

  await page.goto("/customers/new");
  await page.getByRole("button", { name: "Add customer" }).click();
  await expect(page.locator(".govuk-error-summary")).toBeFocused();
  await expect(page.locator(".govuk-error-message").first()).toBeVisible();
  await expect(page).toHaveTitle(/^Error: /);
  await expectNoViolations(page, "add customer (errors)");

  await fillForm(page, "Jon", "Smith", "bs16pn");
  await page.getByRole("button", { name: "Add customer" }).click();
  await expect(page.locator("#duplicate-warning")).toContainText(WARNING);
  await expectNoViolations(page, "add customer (duplicate warning)");

  await page.goto(`/customers/${id}`);
  await expect(page.getByRole("heading", { level: 1, name: "John Smith" })).toBeVisible();
  await expectNoViolations(page, "customer page");

  await page.goto(`/customers/${id}/edit`);
  await expect(page.getByLabel("Family name")).toHaveValue("Smith");
  await expectNoViolations(page, "edit customer");
});

test.describe("at 320 CSS pixels wide", () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test("customer pages reflow without horizontal scrolling", async ({ page }) => {
    await signIn(page);
    const id = await createCustomer(page, { given_name: "Wide", family_name: "Screen", emails: [uniqueEmail("w")] });
    for (const path of ["/customers", "/customers/new", `/customers/${id}`, `/customers/${id}/edit`]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectNoHorizontalScroll(page, path);
    }
  });
});
