// Queries: logging one for a new customer, then for a likely duplicate of them; the work queue
// and its filters (as links); changing a status (and a change made elsewhere meanwhile); the
// customer page's queries and timeline; and no axe violations in any of those states.
import type { Locator, Page } from "@playwright/test";
import { test, expect, expectNoHorizontalScroll, expectNoViolations, signIn, uniqueEmail } from "./fixtures";

const CSRF = { "X-Casedesk-CSRF": "1" };
const UUID = "[0-9a-f-]{36}";
const WARNING = "This may be a customer who already exists";

/** A subject no other test (or earlier run against the same data) uses. */
function uniqueSubject(text: string): string {
  return `${text} ${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
}

/** Logs a query through the API as the signed-in user; returns its id and reference. */
async function createQuery(
  page: Page,
  query: { subject: string; channel: string; customer_id?: string },
): Promise<{ id: string; reference: string; version: number }> {
  const response = await page.request.post("/api/v1/queries", { data: query, headers: CSRF });
  expect(response.status()).toBe(201);
  return response.json();
}

/** The work queue's row for a subject. */
function queueRow(page: Page, subject: string): Locator {
  return page.locator("#queries tbody tr").filter({ hasText: subject });
}

/** Fills in "Log a query" for a phone call from a new customer. */
async function fillPhoneQueryForNewCustomer(
  page: Page,
  subject: string,
  customer: { given: string; family: string; postcode: string; email?: string },
): Promise<void> {
  await page.getByLabel("Phone", { exact: true }).check();
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Description (optional)").fill("Says the bill for March is wrong.");
  await page.getByLabel("A new customer").check();
  await page.getByLabel("Given name").fill(customer.given);
  await page.getByLabel("Family name").fill(customer.family);
  if (customer.email) {
    await page.getByLabel("Email address (optional)").fill(customer.email);
  }
  await page.getByLabel("Postcode (optional)").fill(customer.postcode);
}

/** The path of the query page's customer link. */
async function customerLinkPath(page: Page): Promise<string> {
  const link = page.locator("#query-summary").getByRole("link");
  await expect(link).toHaveAttribute("href", new RegExp(`^/customers/${UUID}$`));
  return (await link.getAttribute("href")) ?? "";
}

test("logging queries for a new customer and a likely duplicate, the work queue, a status change and the customer page", async ({
  page,
}) => {
  // A long walk through several pages, each checked with axe: close to 30 s on a busy machine.
  test.setTimeout(60_000);
  const email = uniqueEmail("john");
  const first = uniqueSubject("Council tax bill wrong");
  const second = uniqueSubject("Council tax refund");
  await signIn(page);

  // 1. From the header to the work queue, then "Log a query".
  await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Queries" }).click();
  await expect(page).toHaveURL(/\/queries\?assignee=me&open=true$/);
  await expect(page.getByRole("heading", { level: 1, name: "Queries" })).toBeVisible();
  await page.getByRole("button", { name: "Log a query" }).click();
  await expect(page).toHaveURL(/\/queries\/new$/);
  await expect(page).toHaveTitle("Log a query - Casedesk");
  await expectNoViolations(page, "log a query (empty)");

  // 2. A phone call from John Smith, new to us. Other specs in the same run may already have
  //    added a John Smith at BS1 6PN; if the app warns about them, this one is created anyway.
  await fillPhoneQueryForNewCustomer(page, first, { given: "John", family: "Smith", postcode: "BS1 6PN", email });
  await page.getByRole("button", { name: "Log query" }).click();
  const warning = page.locator("#duplicate-warning");
  const firstHeading = page.getByRole("heading", { level: 1, name: first });
  await expect(warning.or(firstHeading)).toBeVisible();
  if (await warning.isVisible()) {
    await page.getByLabel("Create a new customer anyway").check();
    await page.getByRole("button", { name: "Log query" }).click();
  }
  await expect(page).toHaveURL(new RegExp(`/queries/${UUID}$`));
  const firstPath = new URL(page.url()).pathname;
  await expect(firstHeading).toBeVisible();
  const banner = page.locator(".govuk-notification-banner--success");
  await expect(banner).toContainText(/Query Q-\d{6,} has been logged/);
  await expect(banner).toBeFocused();
  const firstRef = (await page.locator(".govuk-caption-l").textContent()) ?? "";
  expect(firstRef).toMatch(/^Q-\d{6,}$/);
  const summary = page.locator("#query-summary");
  await expect(summary).toContainText("Phone");
  await expect(summary).toContainText("Normal");
  await expect(summary).toContainText("New");
  await expect(summary.getByRole("link", { name: "John Smith" })).toBeVisible();
  const johnPath = await customerLinkPath(page);
  await expectNoViolations(page, "query page");

  // 3. Another call, from "Jon Smith" with the postcode typed differently: the app warns and
  //    the officer picks the existing John Smith, so the query is theirs.
  await page.goto("/queries/new");
  await fillPhoneQueryForNewCustomer(page, second, { given: "Jon", family: "Smith", postcode: "bs16pn" });
  await page.getByRole("button", { name: "Log query" }).click();
  await expect(warning).toContainText(WARNING);
  await expect(warning).toBeFocused();
  await expect(page).toHaveURL(/\/queries\/new$/);
  const johnId = johnPath.split("/").pop();
  const johnRadio = warning.locator(`input[type="radio"][value="${johnId}"]`);
  await expect(johnRadio).toBeVisible();
  await expect(warning.locator(`label[for="${await johnRadio.getAttribute("id")}"]`)).toHaveText("John Smith");
  await expect(warning).toContainText(`Email address: ${email}`);
  await expect(warning).toContainText("a similar name and the same postcode");
  await expectNoViolations(page, "log a query (duplicate warning)");

  // Submitting without choosing is an error against the choice.
  await page.getByRole("button", { name: "Log query" }).click();
  await expect(page.locator(".govuk-error-summary")).toContainText("Select one of these customers");
  await johnRadio.check();
  await page.getByRole("button", { name: "Log query" }).click();
  await expect(page).toHaveURL(new RegExp(`/queries/${UUID}$`));
  await expect(page.getByRole("heading", { level: 1, name: second })).toBeVisible();
  expect(await customerLinkPath(page)).toBe(johnPath);
  await expect(page.locator("#query-summary").getByRole("link")).toHaveText("John Smith");
  const secondRef = (await page.locator(".govuk-caption-l").textContent()) ?? "";

  // 4. The work queue lists both; filtering by channel narrows it, and the filter is a link.
  const emailed = uniqueSubject("Emailed question");
  await createQuery(page, { subject: emailed, channel: "email" });
  await page.goto("/queries");
  await expect(queueRow(page, first)).toContainText(firstRef);
  await expect(queueRow(page, first).getByRole("link", { name: "John Smith" })).toHaveAttribute("href", johnPath);
  await expect(queueRow(page, second)).toContainText(secondRef);
  await expect(queueRow(page, second)).toContainText("Phone");
  await expect(queueRow(page, emailed)).toContainText("Anonymous");
  await expect(queueRow(page, first).locator(".moj-badge")).toHaveText("New");
  await expectNoViolations(page, "work queue");

  await page.getByLabel("Phone", { exact: true }).check();
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/\/queries\?channel=phone$/);
  await expect(queueRow(page, first)).toBeVisible();
  await expect(queueRow(page, second)).toBeVisible();
  await expect(queueRow(page, emailed)).toHaveCount(0);
  await expect(page.locator(".moj-filter__selected")).toContainText("Phone");
  await expectNoViolations(page, "work queue (filtered)");

  await page.goto("/queries?channel=email");
  await expect(queueRow(page, emailed)).toBeVisible();
  await expect(queueRow(page, first)).toHaveCount(0);
  await expect(page.getByLabel("Email", { exact: true })).toBeChecked();
  // Removing the filter's tag shows everything again.
  await page.getByRole("link", { name: "Remove this filter Email" }).click();
  await expect(page).toHaveURL(/\/queries$/);
  await expect(queueRow(page, first)).toBeVisible();

  // 5. Change the first query's status from its page.
  await queueRow(page, first).getByRole("link", { name: firstRef }).click();
  await expect(page).toHaveURL(new RegExp(`${firstPath}$`));
  await page.getByLabel("Change status").selectOption({ label: "In progress" });
  await page.getByRole("button", { name: "Save status" }).click();
  await expect(page.locator(".govuk-notification-banner--success")).toContainText("Status changed to In progress");
  await expect(page.locator("#query-summary .moj-badge")).toHaveText("In progress");
  const history = page.locator("#status-history tbody tr");
  await expect(history).toHaveCount(2);
  await expect(history.first()).toContainText("In progress");
  await expect(history.first()).toContainText("New");

  // 6. John Smith's page shows both queries and a timeline with both.
  await page.goto(johnPath);
  await expect(page.getByRole("heading", { level: 1, name: "John Smith" })).toBeVisible();
  const queries = page.locator("#customer-queries");
  await expect(queries.getByRole("link", { name: firstRef })).toHaveAttribute("href", firstPath);
  await expect(queries.getByRole("link", { name: secondRef })).toBeVisible();
  await expect(queries.locator("tr").filter({ hasText: first }).locator(".moj-badge")).toHaveText("In progress");
  const timeline = page.locator("#customer-timeline");
  await expect(timeline.getByRole("link", { name: `${firstRef}: ${first}` }).first()).toHaveAttribute("href", firstPath);
  await expect(timeline.getByRole("link", { name: `${secondRef}: ${second}` }).first()).toBeVisible();
  await expect(timeline.getByRole("heading", { name: "Query logged" })).toHaveCount(2);
  await expect(timeline.getByRole("heading", { name: "Customer created" })).toHaveCount(1);
  await expect(timeline).toContainText("From New to In progress.");
  // Newest first: the status change is the latest thing that happened.
  await expect(timeline.locator(".moj-timeline__title").first()).toHaveText("Query status changed");
  await expectNoViolations(page, "customer page with queries and timeline");
});

test("log a query: errors, a date in the future, and logging from the customer page", async ({ page }) => {
  await signIn(page);
  await page.goto("/queries/new");
  await page.getByRole("button", { name: "Log query" }).click();
  const summary = page.locator(".govuk-error-summary");
  await expect(summary).toBeFocused();
  await expect(summary).toContainText("Select how the query was received");
  await expect(summary).toContainText("Select who the query is from");
  await expect(page).toHaveTitle(/^Error: Log a query/);
  await expectNoViolations(page, "log a query (errors)");
  // The summary's link goes to the field.
  await summary.getByRole("link", { name: "Select how the query was received" }).click();
  await expect(page.getByLabel("Phone", { exact: true })).toBeFocused();

  // The server refuses a date in the future; its message lands on the date.
  await page.getByLabel("Post", { exact: true }).check();
  await page.getByLabel("Anonymous").check();
  await page.getByLabel("Year").fill(String(new Date().getFullYear() + 1));
  await page.getByLabel("Subject").fill(uniqueSubject("Letter"));
  await page.getByRole("button", { name: "Log query" }).click();
  await expect(summary).toContainText("The date received must be today or in the past");
  await expect(page.locator("#received_at-error")).toContainText("today or in the past");
  await expectNoViolations(page, "log a query (server error)");

  // A letter that arrived on 2 March 2026 at 9:05, London time (GMT then).
  await page.getByLabel("Day").fill("2");
  await page.getByLabel("Month").fill("3");
  await page.getByLabel("Year").fill("2026");
  await page.getByLabel("Time").fill("09:05");
  await page.getByRole("button", { name: "Log query" }).click();
  await expect(page).toHaveURL(new RegExp(`/queries/${UUID}$`));
  await expect(page.locator("#query-summary")).toContainText("2 March 2026 at 9:05am");
  await expect(page.locator("#query-summary")).toContainText("Anonymous");

  // From a customer's page, the form starts with that customer chosen.
  const customer = await page.request.post("/api/v1/customers", {
    data: { given_name: "Amara", family_name: "Okafor", emails: [uniqueEmail("amara")] },
    headers: CSRF,
  });
  expect(customer.status()).toBe(201);
  const amaraId = (await customer.json()).id;
  await page.goto(`/customers/${amaraId}`);
  await expect(page.getByText("There are no queries from this customer yet.")).toBeVisible();
  await page.getByRole("button", { name: "Log a query for this customer" }).click();
  await expect(page).toHaveURL(new RegExp(`/queries/new\\?customer_id=${amaraId}$`));
  await expect(page.getByLabel("Amara Okafor")).toBeChecked();
  await page.getByLabel("In person").check();
  await page.getByLabel("Subject").fill(uniqueSubject("Visited the office"));
  await page.getByRole("button", { name: "Log query" }).click();
  await expect(page).toHaveURL(new RegExp(`/queries/${UUID}$`));
  await expect(page.locator("#query-summary").getByRole("link", { name: "Amara Okafor" })).toHaveAttribute(
    "href",
    `/customers/${amaraId}`,
  );
});

test("a status changed elsewhere in the meantime is not overwritten", async ({ page }) => {
  await signIn(page);
  const query = await createQuery(page, { subject: uniqueSubject("Race"), channel: "phone" });
  await page.goto(`/queries/${query.id}`);
  await expect(page.locator("#query-summary .moj-badge")).toHaveText("New");
  const statuses = (await (await page.request.get("/api/v1/query-statuses")).json()).items as { id: string; name: string }[];
  const resolved = statuses.find((s) => s.name === "Resolved");
  const other = await page.request.post(`/api/v1/queries/${query.id}/status`, {
    data: { status_id: resolved?.id, resolution_summary: "Answered by phone" },
    headers: { ...CSRF, "If-Match": `"${query.version}"` },
  });
  expect(other.status()).toBe(200);

  await page.getByLabel("Change status").selectOption({ label: "In progress" });
  await page.getByRole("button", { name: "Save status" }).click();
  const summary = page.locator(".govuk-error-summary");
  await expect(summary).toBeFocused();
  await expect(summary).toContainText("This query was changed by someone else; reload the page to see the latest.");
  await expect(page).toHaveTitle(/^Error: /);
  await expectNoViolations(page, "query page (changed elsewhere)");
  await page.reload();
  await expect(page.locator("#query-summary .moj-badge")).toHaveText("Resolved");
});

test.describe("at 320 CSS pixels wide", () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test("query pages reflow without horizontal scrolling", async ({ page }) => {
    await signIn(page);
    const query = await createQuery(page, { subject: uniqueSubject("Narrow"), channel: "web_form" });
    for (const path of ["/queries", "/queries?channel=web_form", "/queries/new", `/queries/${query.id}`]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectNoHorizontalScroll(page, path);
    }
    // On a phone the filter starts hidden; it opens from the keyboard, and the page still
    // fits the screen with it open.
    await page.goto("/queries");
    const toggle = page.getByRole("button", { name: "Show filter" });
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(page.getByRole("button", { name: "Apply filters" })).toBeHidden();
    await toggle.focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("button", { name: "Apply filters" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Hide filter" })).toHaveAttribute("aria-expanded", "true");
    await expectNoHorizontalScroll(page, "/queries with the filter open");
    await expectNoViolations(page, "work queue at 320px, filter open");
  });
});
