// Microsoft Entra ID through a real OpenID provider on loopback (scripts/entra-mock.mjs, started
// by the test command): an administrator sets up Entra sign-in and maps a directory group to a
// read-only group; its member signs in with Microsoft, sees queries but no edit controls and is
// refused by the API; after the mapping changes and they sign in again, they can edit. Axe on
// the new page and states.
import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { test, expect, expectNoViolations, signIn } from "./fixtures";

const CSRF = { "X-Casedesk-CSRF": "1" };
const ENTRA = process.env.CASEDESK_TEST_ENTRA_URL || "http://127.0.0.1:18081";

function unique(text: string): string {
  return `${text} ${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to Casedesk" })).toBeVisible();
}

async function signInWithMicrosoft(page: Page, email: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Home" })).toBeVisible();
}

const banner = (page: Page) => page.locator(".govuk-notification-banner--success");

test("a person signs in with Microsoft; their directory group decides what they may do, at every sign-in", async ({
  page,
}) => {
  const directoryGroup = randomUUID();
  const login = `entra-${Date.now()}`;
  const email = `${login}@contoso.test`;
  const person = await fetch(`${ENTRA}/test/users`, {
    method: "POST",
    body: JSON.stringify({ login, name: "Erin Entra", email, groups: [directoryGroup], roles: [] }),
  });
  expect(person.status, "the Entra stand-in is running").toBe(200);

  // The administrator sets up Entra ID sign-in.
  await signIn(page);
  const subject = unique("Broken streetlight");
  const created = await page.request.post("/api/v1/queries", { data: { subject, channel: "phone" }, headers: CSRF });
  const queryId = (await created.json()).id as string;
  const readersName = unique("Entra readers");
  const readers = await page.request.post("/api/v1/groups", {
    data: { name: readersName, grants: [{ area: "customers", level: "read" }, { area: "queries", level: "read" }] },
    headers: CSRF,
  });
  expect(readers.status()).toBe(201);

  await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Administration" }).click();
  await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Entra ID" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Microsoft Entra ID" })).toBeVisible();
  await expectNoViolations(page, "Entra ID (not set up)");
  await page.getByRole("button", { name: "Save Entra ID settings" }).click();
  await expect(page.locator(".govuk-error-summary")).toContainText("Enter a GUID");
  await expectNoViolations(page, "Entra ID (errors)");
  const clientId = randomUUID();
  await page.getByLabel("Directory (tenant) ID").fill(randomUUID());
  await page.getByLabel("Application (client) ID").fill(clientId);
  await page.getByLabel("Client secret").fill("a-client-secret");
  await expect(page.getByLabel("Redirect URL")).toHaveValue(/\/api\/v1\/auth\/entra\/callback$/);
  await page.getByLabel("API audience").fill(`api://${clientId}`);
  await page.getByRole("button", { name: "Save Entra ID settings" }).click();
  await expect(banner(page)).toContainText("The Entra ID settings have been saved");
  await expect(page.getByLabel("Client secret")).toHaveValue("");
  await expect(page.locator("#client_secret-state")).toContainText("A secret is saved");

  // Members of the directory group are readers here.
  await page.getByLabel("Group object ID or role value").fill(directoryGroup);
  await page.getByLabel("Are members of").selectOption({ label: readersName });
  await page.getByRole("button", { name: "Add mapping" }).click();
  await expect(banner(page)).toContainText(`now makes people members of ${readersName}`);
  const mapping = page.locator("#mappings tbody tr").filter({ hasText: directoryGroup });
  await expect(mapping).toContainText(readersName);
  await expectNoViolations(page, "Entra ID (set up, one mapping)");
  await signOut(page);
  await expectNoViolations(page, "sign-in with Microsoft offered");

  // They sign in with Microsoft: queries visible, nothing to change them with, and the API says no.
  await signInWithMicrosoft(page, email);
  const me = await (await page.request.get("/api/v1/me")).json();
  expect(me.user.display_name).toBe("Erin Entra");
  await page.goto(`/queries/${queryId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(subject);
  await expect(page.getByRole("link", { name: "Change details" })).toHaveCount(0);
  const refused = await page.request.post("/api/v1/queries", { data: { subject: "Not allowed", channel: "phone" }, headers: CSRF });
  expect(refused.status()).toBe(403);
  await signOut(page);

  // The mapping changes: the directory group now makes people customer officers.
  await signIn(page);
  await page.goto("/admin/entra");
  await mapping.getByRole("button", { name: /Remove/ }).click();
  await expect(banner(page)).toContainText("has been removed");
  await page.getByLabel("Group object ID or role value").fill(directoryGroup);
  await page.getByLabel("Are members of").selectOption({ label: "Customer officers" });
  await page.getByRole("button", { name: "Add mapping" }).click();
  await expect(page.locator("#mappings tbody tr").filter({ hasText: directoryGroup })).toContainText("Customer officers");
  await signOut(page);

  await signInWithMicrosoft(page, email);
  await page.goto(`/queries/${queryId}`);
  await expect(page.getByRole("link", { name: "Change details" })).toBeVisible();
  const allowed = await page.request.post("/api/v1/queries", { data: { subject: unique("Now allowed"), channel: "phone" }, headers: CSRF });
  expect(allowed.status()).toBe(201);
});

test("a failed Microsoft sign-in is explained on the sign-in page", async ({ page }) => {
  await page.goto("/sign-in?error=account_disabled");
  await expect(page.locator(".govuk-error-summary")).toContainText("Your account has been disabled");
  await expectNoViolations(page, "sign-in after a failed Microsoft sign-in");
});
