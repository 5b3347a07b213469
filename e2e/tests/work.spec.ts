// Working queries: assigning one to a colleague, who is notified and finds it in "My
// queries", and records a contact; the query's own timeline; merging two records of one
// customer; the work queue's views, search, filters and sort; changing, sharing, deleting a
// query and its history; the administration pages. Axe on every new page and state.
import type { Page } from "@playwright/test";
import { test, expect, expectNoHorizontalScroll, expectNoViolations, signIn, uniqueEmail, ADMIN_EMAIL, ADMIN_PASSWORD } from "./fixtures";

const CSRF = { "X-Casedesk-CSRF": "1" };
const UUID = "[0-9a-f-]{36}";
const PASSWORD = "a-colleague-password-123";

function unique(text: string): string {
  return `${text} ${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
}

/** An officer (in the built-in "Customer officers" group), made through the API as an administrator. */
async function createOfficer(page: Page, name: string): Promise<{ id: string; email: string }> {
  const groups = (await (await page.request.get("/api/v1/groups")).json()).items as { id: string; name: string }[];
  const officers = groups.find((g) => g.name === "Customer officers");
  expect(officers, "the built-in officers group").toBeTruthy();
  const email = uniqueEmail("colleague");
  const response = await page.request.post("/api/v1/users", {
    data: { email, display_name: name, password: PASSWORD, group_ids: [officers?.id] },
    headers: CSRF,
  });
  expect(response.status()).toBe(201);
  return { id: (await response.json()).id, email };
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to Casedesk" })).toBeVisible();
}

const banner = (page: Page) => page.locator(".govuk-notification-banner--success");
const errorSummary = (page: Page) => page.locator(".govuk-error-summary");

test("an administrator assigns a query to a colleague, who is notified, finds it in My queries and records a contact", async ({
  page,
}) => {
  // A long journey through many pages, each scanned by axe.
  test.setTimeout(90_000);
  const teamName = unique("Council tax team");
  const subject = unique("Direct debit missed");
  const family = unique("Adeyemi").replace(/[^A-Za-z]/g, "");
  await signIn(page);
  const colleague = await createOfficer(page, "Colleague");

  // 1. A team, from the administration pages (an empty name first: an error).
  await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Administration" }).click();
  await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Teams" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Teams" })).toBeVisible();
  await page.getByRole("button", { name: "Add a team" }).click();
  await page.getByRole("button", { name: "Save team" }).click();
  await expect(errorSummary(page)).toContainText("Enter the team’s name");
  await expect(page).toHaveTitle(/^Error: Add a team/);
  await expectNoViolations(page, "add a team (error)");
  await page.getByLabel("Team name").fill(teamName);
  // Members are added by typing (an autocomplete, not a checkbox per user): the colleague is
  // told apart from earlier runs' colleagues by their email address.
  await page.getByRole("combobox", { name: "Add a member" }).fill(colleague.email);
  await page.getByRole("option", { name: new RegExp(`^Colleague.*${colleague.email.replace(/[.+]/g, "\\$&")}`) }).click();
  await expect(page.locator("#member_ids-count")).toHaveText("1 member");
  await expect(page.getByRole("button", { name: "Remove Colleague" })).toBeVisible();
  await page.getByLabel("Team leader: Colleague").check();
  await expectNoViolations(page, "add a team (a member added)");
  await page.getByRole("button", { name: "Save team" }).click();
  await expect(page).toHaveURL(/\/admin\/teams$/);
  await expect(banner(page)).toContainText(`Team ${teamName} has been added`);
  await expect(page.locator("#teams tr").filter({ hasText: teamName })).toContainText("Colleague (team leader)");
  await expectNoViolations(page, "teams");

  // 2. A query for a new customer, logged through the form.
  await page.goto("/queries/new");
  await page.getByLabel("Phone", { exact: true }).check();
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("A new customer").check();
  await page.getByLabel("Given name").fill("Tola");
  await page.getByLabel("Family name").fill(family);
  await page.getByRole("button", { name: "Log query" }).click();
  await expect(page).toHaveURL(new RegExp(`/queries/${UUID}$`));
  const queryPath = new URL(page.url()).pathname;
  const summary = page.locator("#query-summary");
  await expect(summary).toContainText("No one");

  // 3. Assign it to the colleague and the team.
  // Officer and team are picked by typing (a filterable list, not 30 radio buttons).
  const officerBox = page.getByRole("combobox", { name: "Officer", exact: true });
  await officerBox.fill("collea");
  await page.getByRole("option", { name: /^Colleague/ }).click();
  await expect(officerBox).toHaveValue("Colleague");
  await page.getByRole("combobox", { name: "Team", exact: true }).fill(teamName);
  await page.getByRole("option", { name: new RegExp(`^${teamName}`) }).click();
  await page.getByRole("button", { name: "Save assignment" }).click();
  await expect(banner(page)).toContainText("Query assigned to Colleague");
  await expect(summary).toContainText("Colleague");
  await expect(summary).toContainText(teamName);
  const timeline = page.locator("#query-timeline");
  await expect(timeline).toContainText(`Assigned to Colleague, in the team ${teamName}.`);
  await expectNoViolations(page, "query page (assigned)");

  // A change made elsewhere meanwhile is not overwritten: 412, said in words.
  const id = queryPath.split("/").pop();
  const current = await (await page.request.get(`/api/v1/queries/${id}`)).json();
  const other = await page.request.post(`/api/v1/queries/${id}/assignment`, {
    data: { assignee_id: colleague.id, team_id: null },
    headers: { ...CSRF, "If-Match": `"${current.version}"` },
  });
  expect(other.status()).toBe(200);
  await officerBox.fill("");
  await page.getByRole("button", { name: "Save assignment" }).click();
  await expect(errorSummary(page)).toContainText("This query was changed by someone else");
  await expect(errorSummary(page)).toBeFocused();
  await expectNoViolations(page, "query page (assignment changed elsewhere)");
  await signOut(page);

  // 4. The colleague is told, and finds it in "My queries".
  await signIn(page, colleague.email, PASSWORD);
  const notificationsLink = page.getByRole("banner").getByRole("link", { name: /^Notifications/ });
  await expect(notificationsLink).toHaveText("Notifications (1 unread)");
  await notificationsLink.click();
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  const item = page.locator("#notifications li").first();
  await expect(item).toContainText(/assigned you Q-\d{6} /);
  await expect(item).toContainText("Unread");
  await expectNoViolations(page, "notifications");
  await item.getByRole("link", { name: "Open the query" }).click();
  await expect(page).toHaveURL(new RegExp(`${queryPath}$`));
  await expect(notificationsLink).toHaveText("Notifications (0 unread)");

  await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Queries" }).click();
  const myQueries = page.getByRole("navigation", { name: "Work queue views" }).getByRole("link", { name: /^My queries/ });
  await expect(myQueries).toHaveText("My queries (1 query)");
  await myQueries.click();
  await expect(page).toHaveURL(/\/queries\?assignee=me&open=true$/);
  await expect(myQueries).toHaveAttribute("aria-current", "page");
  const rows = page.locator("#queries tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(subject);
  await expect(rows.first()).toContainText("Colleague (you)");
  await expectNoViolations(page, "work queue (My queries)");

  // 5. The colleague records a phone call (errors first).
  await rows.first().getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`${queryPath}$`));
  await page.getByLabel("A contact with the customer").check();
  await page.getByRole("button", { name: "Record contact" }).click();
  await expect(errorSummary(page)).toContainText("Select who got in touch");
  await expect(errorSummary(page)).toContainText("Select how the contact happened");
  await expect(errorSummary(page)).toContainText("Enter what was said");
  await expectNoViolations(page, "query page (contact errors)");
  await page.getByLabel("The customer contacted us").check();
  await page.getByLabel("How?").selectOption({ label: "Phone" });
  await page.getByLabel("What was said").fill("Rang to ask when the refund will arrive.");
  await page.getByRole("button", { name: "Record contact" }).click();
  await expect(page.locator("#composer-status")).toHaveText("Contact recorded");
  await expect(timeline.getByRole("heading", { name: "Contact recorded" })).toBeVisible();
  await expect(timeline).toContainText("From the customer, by phone.");
  await expect(timeline).toContainText("Rang to ask when the refund will arrive.");
  await expect(timeline.getByRole("heading", { name: "Query assigned" })).toHaveCount(2);
  await expect(timeline.getByRole("heading", { name: "Query logged" })).toBeVisible();
  await expect(timeline.locator(".moj-timeline__title").first()).toHaveText("Contact recorded");

  // And a note for colleagues.
  await page.getByLabel("A note for colleagues").check();
  await page.getByLabel("Note", { exact: true }).fill("Refund approved, letter to follow.");
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.locator("#composer-status")).toHaveText("Note added");
  await expect(timeline.getByRole("heading", { name: "Note added" })).toBeVisible();
  await expectNoViolations(page, "query page (contact and note recorded)");
});

test("merging two records of one customer from the customer page", async ({ page }) => {
  // A long journey through many pages, each scanned by axe.
  test.setTimeout(90_000);
  const email = uniqueEmail("john.smith");
  await signIn(page);
  const john = await page.request.post("/api/v1/customers", {
    data: { given_name: "John", family_name: "Smith", emails: [email], address: { postcode: "BS1 6PN" } },
    headers: CSRF,
  });
  expect(john.status()).toBe(201);
  const johnId = (await john.json()).id as string;
  const first = unique("Parking permit");
  const created = await page.request.post("/api/v1/queries", {
    data: { subject: first, channel: "email", customer_id: johnId },
    headers: CSRF,
  });
  expect(created.status()).toBe(201);

  // Jon Smith, bs16pn: the app warns; the officer creates him anyway.
  const second = unique("Parking fine");
  await page.goto("/queries/new");
  await page.getByLabel("Phone", { exact: true }).check();
  await page.getByLabel("Subject").fill(second);
  await page.getByLabel("A new customer").check();
  await page.getByLabel("Given name").fill("Jon");
  await page.getByLabel("Family name").fill("Smith");
  await page.getByLabel("Postcode (optional)").fill("bs16pn");
  await page.getByRole("button", { name: "Log query" }).click();
  await expect(page.locator("#duplicate-warning")).toBeVisible();
  await page.getByLabel("Create a new customer anyway").check();
  await page.getByRole("button", { name: "Log query" }).click();
  await expect(page.getByRole("heading", { level: 1, name: second })).toBeVisible();
  await page.locator("#query-summary").getByRole("link", { name: "Jon Smith" }).click();
  await expect(page).toHaveURL(new RegExp(`/customers/${UUID}$`));
  const jonPath = new URL(page.url()).pathname;

  // Merge Jon into John: errors first, then search and pick.
  await page.getByRole("link", { name: "Merge into another customer" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Merge into another customer" })).toBeVisible();
  await expect(page.locator(".govuk-warning-text")).toContainText("queries, notes and history will move");
  await expectNoViolations(page, "merge customer");
  await page.getByRole("button", { name: "Merge customers" }).click();
  await expect(errorSummary(page)).toContainText("Select the customer to merge this record into");
  await expectNoViolations(page, "merge customer (error)");
  // The survivor is found as you type (an accessible combobox) and picked with the mouse.
  const survivor = page.getByRole("combobox", { name: "Which customer should this record be merged into?" });
  await survivor.fill(email);
  const johnOption = page.getByRole("option", { name: /John Smith/ });
  await expect(johnOption).toHaveCount(1);
  await expect(page.getByRole("status").filter({ hasText: "1 result is available" })).toHaveCount(1);
  await expect(survivor).toHaveAttribute("aria-expanded", "true");
  await expectNoViolations(page, "merge customer (suggestions)");
  await johnOption.click();
  await expect(survivor).toHaveValue("John Smith");
  await expect(survivor).toHaveAttribute("aria-expanded", "false");
  await page.getByRole("button", { name: "Merge customers" }).click();
  await expect(page).toHaveURL(new RegExp(`/customers/${johnId}$`));
  await expect(banner(page)).toContainText("Jon Smith has been merged into John Smith (1 query moved)");

  // The survivor has both queries and one timeline that says what happened.
  const queries = page.locator("#customer-queries");
  await expect(queries).toContainText(first);
  await expect(queries).toContainText(second);
  const timeline = page.locator("#customer-timeline");
  await expect(timeline.getByRole("heading", { name: "Customer merged" })).toBeVisible();
  await expect(timeline).toContainText("Jon Smith was merged into this customer");
  await expectNoViolations(page, "customer page after a merge");

  // The old record's address lands on the survivor.
  await page.goto(jonPath);
  await expect(page).toHaveURL(new RegExp(`/customers/${johnId}$`));
  await expect(page.getByRole("heading", { level: 1, name: "John Smith" })).toBeVisible();
  await expect(page.locator("#customer-queries")).toContainText(second);

  // Its history, field by field.
  await page.getByRole("link", { name: "History of changes" }).click();
  await expect(page).toHaveURL(new RegExp(`/customers/${johnId}/history$`));
  await expect(page.locator("#record-history")).toContainText(/created/i);
  await expectNoViolations(page, "customer history");
});

test("log a query for an existing customer found by searching", async ({ page }) => {
  const email = uniqueEmail("grace");
  await signIn(page);
  const customer = await page.request.post("/api/v1/customers", {
    data: { given_name: "Grace", family_name: "Hopper", emails: [email] },
    headers: CSRF,
  });
  const graceId = (await customer.json()).id as string;
  await page.goto("/queries/new");
  await page.getByLabel("Email", { exact: true }).check();
  await page.getByLabel("Subject").fill(unique("Bin collection"));
  await page.getByLabel("An existing customer").check();
  await page.getByRole("button", { name: "Log query" }).click();
  await expect(errorSummary(page)).toContainText("Search for the customer and select them");
  await expectNoViolations(page, "log a query (existing customer, none chosen)");
  // Found as you type and picked from the keyboard: down to the suggestion, Enter to choose.
  const search = page.getByRole("combobox", { name: "Find the customer" });
  await search.fill(email);
  await expect(page.getByRole("option", { name: /Grace Hopper/ })).toBeVisible();
  await expectNoViolations(page, "log a query (existing customer suggestions)");
  await search.press("ArrowDown");
  await expect(search).toHaveAttribute("aria-activedescendant", "existing_customer-option-0");
  await search.press("Enter");
  await expect(search).toHaveValue("Grace Hopper");
  await page.getByRole("button", { name: "Log query" }).click();
  await expect(page).toHaveURL(new RegExp(`/queries/${UUID}$`));
  await expect(page.locator("#query-summary").getByRole("link", { name: "Grace Hopper" })).toHaveAttribute(
    "href",
    `/customers/${graceId}`,
  );
});

test("search, filters and sort in the address bar; change, history, share and delete a query; query types", async ({
  page,
}) => {
  // A long journey through many pages, each scanned by axe.
  test.setTimeout(90_000);
  await signIn(page);
  const reader = await createOfficer(page, unique("Reader"));
  const readerName = (await (await page.request.get(`/api/v1/users/${reader.id}`)).json()).display_name as string;
  const word = `Zebra${Date.now()}`;
  const subject = `Tax query ${word}`;
  const created = await page.request.post("/api/v1/queries", { data: { subject, channel: "post" }, headers: CSRF });
  expect(created.status()).toBe(201);
  const query = await created.json();

  // Query types: a type and a sub-type through the admin page; retire and restore one.
  const typeName = unique("Council tax");
  await page.goto("/admin/query-types");
  await page.getByRole("button", { name: "Add type" }).click();
  await expect(errorSummary(page)).toContainText("Enter the name of the type");
  await expectNoViolations(page, "query types (error)");
  await page.getByLabel("Name", { exact: true }).fill(typeName);
  await page.getByRole("button", { name: "Add type" }).click();
  await expect(banner(page)).toContainText(`${typeName} has been added`);
  await page.getByLabel("Name", { exact: true }).fill("Refunds");
  await page.getByLabel("Sub-type of (optional)").selectOption({ label: typeName });
  await page.getByRole("button", { name: "Add type" }).click();
  await expect(banner(page)).toContainText("Refunds has been added");
  await page.getByRole("button", { name: `Retire ${typeName}` }).click();
  await expect(banner(page)).toContainText(`${typeName} has been retired`);
  await expect(page.locator("#query-types li").filter({ hasText: typeName }).first()).toContainText("Retired");
  await page.getByRole("button", { name: `Restore ${typeName}` }).click();
  await expect(banner(page)).toContainText(`${typeName} has been restored`);
  await expectNoViolations(page, "query types");

  // The search box, filters and sort all end up in the address.
  await page.goto("/queries");
  await page.getByLabel("Search", { exact: true }).fill(word);
  await page.getByLabel("Unassigned", { exact: true }).check();
  await page.getByLabel("Open", { exact: true }).check();
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`/queries\\?q=${word}&assignee=none&open=true$`));
  const rows = page.locator("#queries tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(subject);
  await expect(rows.first()).toContainText("Unassigned");
  await expect(page.locator(".moj-filter__selected")).toContainText(`‘${word}’`);
  // A search within a view is no longer that view.
  await expect(page.locator("#view-unassigned")).toHaveAttribute("href", "/queries?assignee=none&open=true");
  await expect(page.locator("#view-unassigned")).not.toHaveAttribute("aria-current", "page");
  await expectNoViolations(page, "work queue (search and filters)");
  // The list is oldest first by default; the Received header turns it round.
  const received = page.locator("#queries thead th").filter({ hasText: "Received" });
  await expect(received).toHaveAttribute("aria-sort", "ascending");
  await received.getByRole("link").click();
  await expect(page).toHaveURL(/sort=-received_at$/);
  await expect(page.getByText("sorted by received (newest first)")).toBeVisible();
  await page.goto(`/queries?q=${word}&open=false`);
  await expect(page.getByText("No queries match these filters.")).toBeVisible();

  // Change details: the subject and the type.
  await page.goto(`/queries/${query.id}`);
  await page.getByRole("link", { name: "Change details" }).click();
  await expect(page).toHaveURL(new RegExp(`/queries/${query.id}/edit$`));
  await page.getByLabel("Subject").fill("");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(errorSummary(page)).toBeVisible();
  await expectNoViolations(page, "change details (error)");
  await page.getByLabel("Subject").fill(`${subject} (corrected)`);
  await page.getByLabel("Type (optional)").selectOption({ label: "Refunds" });
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(new RegExp(`/queries/${query.id}$`));
  await expect(banner(page)).toContainText(`The details of ${query.reference} have been changed`);
  await expect(page.locator("#query-summary")).toContainText(`${typeName}: Refunds`);
  await expect(page.locator("#query-timeline")).toContainText("Changed: subject, type.");

  // The type filter: the parent type finds the query of its sub-type.
  await page.goto(`/queries?q=${word}`);
  await page.getByLabel("Type", { exact: true }).selectOption({ label: typeName });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`/queries\\?q=${word}&type=[0-9a-f-]{36}$`));
  await expect(page.locator("#queries tbody tr")).toHaveCount(1);
  await expect(page.locator(".moj-filter__selected")).toContainText(typeName);
  await expectNoViolations(page, "work queue (type filter)");

  // Change the customer: the query was logged without one; it belongs to a customer found by search.
  const family = `Okonkwo${Date.now()}`;
  const owner = await page.request.post("/api/v1/customers", {
    data: { given_name: "Ada", family_name: family },
    headers: CSRF,
  });
  expect(owner.status()).toBe(201);
  await page.goto(`/queries/${query.id}/edit`);
  await page.getByLabel("Another customer").check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(errorSummary(page)).toContainText("Search for the customer and select them");
  await expectNoViolations(page, "change details (customer not picked)");
  await page.getByRole("combobox", { name: "Find the customer" }).fill(family);
  await page.getByRole("option", { name: new RegExp(`Ada ${family}`) }).click();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(new RegExp(`/queries/${query.id}$`));
  await expect(page.locator("#query-summary")).toContainText(`Ada ${family}`);

  // History, field by field.
  await page.getByRole("link", { name: "History of changes" }).click();
  // Newest first: the correction, then the query as logged.
  const change = page.locator("#record-history tbody tr").filter({ hasText: "Details changed" }).filter({ hasText: "subject" });
  await expect(change).toContainText(subject);
  await expect(change).toContainText(`${subject} (corrected)`);
  await expectNoViolations(page, "query history");

  // Share with a colleague.
  await page.goto(`/queries/${query.id}/share`);
  await page.getByRole("button", { name: "Share" }).click();
  await expect(errorSummary(page)).toContainText("Select who to share with");
  await expectNoViolations(page, "share (error)");
  // The colleague is found by typing, like every officer picker.
  await page.getByRole("combobox", { name: "Colleague" }).fill(readerName);
  await page.getByRole("option", { name: new RegExp(`^${readerName}`) }).click();
  await page.getByLabel("Message (optional)").fill("Can you check the refund?");
  await page.getByRole("button", { name: "Share" }).click();
  await expect(page).toHaveURL(new RegExp(`/queries/${query.id}$`));
  await expect(banner(page)).toContainText(`Shared with ${readerName}`);

  // Delete, after a confirmation page.
  await page.getByRole("link", { name: "Delete query" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Are you sure you want to delete ${query.reference}?`);
  await expectNoViolations(page, "delete query");
  await page.getByRole("button", { name: "Delete query" }).click();
  await expect(page).toHaveURL(/\/queries$/);
  await expect(banner(page)).toContainText(`Query ${query.reference} has been deleted`);
  await expectNoViolations(page, "work queue after a delete");
  await page.goto(`/queries?q=${word}`);
  await expect(page.getByText("No queries match these filters.")).toBeVisible();
});

test("an officer saves the filtered work queue as a view, finds it with its count, and deletes it", async ({ page }) => {
  await signIn(page);
  const word = `Okapi${Date.now()}`;
  for (const n of [1, 2]) {
    const created = await page.request.post("/api/v1/queries", {
      data: { subject: `${word} letter ${n}`, channel: "post" },
      headers: CSRF,
    });
    expect(created.status()).toBe(201);
  }
  await page.goto(`/queries?q=${word}&sort=-received_at`);
  await expect(page.locator("#queries tbody tr")).toHaveCount(2);
  await page.getByRole("link", { name: "Save as a view" }).click();
  await expect(page).toHaveURL(new RegExp(`/queries/views/new\\?q=${word}&sort=-received_at$`));
  await page.getByRole("button", { name: "Save view" }).click();
  await expect(errorSummary(page)).toBeVisible();
  await expectNoViolations(page, "save as a view (error)");
  const name = unique("Okapi letters");
  await page.getByLabel("Name").fill(name);
  // Its own columns: no channel; priority and last updated added.
  await page.getByLabel("Channel", { exact: true }).uncheck();
  await page.getByLabel("Priority", { exact: true }).check();
  await page.getByLabel("Last updated", { exact: true }).check();
  await expectNoViolations(page, "save as a view");
  await page.getByRole("button", { name: "Save view" }).click();
  // Back on the queue it was saved from, showing the view's columns, with the view among the
  // others and its count.
  const columns = encodeURIComponent("reference,subject,customer,status,priority,assignee,received_at,updated_at,due_at");
  await expect(page).toHaveURL(new RegExp(`/queries\\?q=${word}&sort=-received_at&columns=${columns}$`));
  await expect(banner(page)).toContainText(`The view ‘${name}’ has been saved`);
  // The column headings (after the select-all box; a sortable one ends in its arrows).
  const headings = page.locator("#queries thead th:not(.app-pick-cell)");
  const named = (names: string[]) => names.map((name) => new RegExp(`^${name}[▲▼]*$`));
  await expect(headings).toHaveText(
    named(["Reference", "Subject", "Customer", "Status", "Priority", "Assigned to", "Received", "Last updated", "Due"]),
  );
  const link = page.locator(".moj-sub-navigation__link").filter({ hasText: name });
  await expect(link).toContainText("(2");
  await expect(link).toHaveAttribute("aria-current", "page");
  await expect(link).toHaveAttribute("href", `/queries?q=${word}&sort=-received_at&columns=${columns}`);
  await expectNoViolations(page, "work queue (a saved view's columns)");
  // The default columns elsewhere.
  await page.goto(`/queries?q=${word}`);
  await expect(headings).toHaveText(
    named(["Reference", "Subject", "Customer", "Channel", "Status", "Assigned to", "Received", "Due"]),
  );

  await page.getByRole("link", { name: "Saved views" }).click();
  await expect(page).toHaveURL(/\/queries\/views$/);
  const row = page.locator("#saved-views tbody tr").filter({ hasText: name });
  await expect(row).toContainText("Only you");
  await expect(row).toContainText("2");
  await expectNoViolations(page, "saved views");
  await row.getByRole("button", { name: `Delete ${name}` }).click();
  await expect(banner(page)).toContainText(`The view ‘${name}’ has been deleted`);
  await expect(page.locator("#saved-views tbody tr").filter({ hasText: name })).toHaveCount(0);
  const views = (await (await page.request.get("/api/v1/views")).json()).items as { name: string }[];
  expect(views.map((v) => v.name)).not.toContain(name);
});

test("notifications page fifty at a time, oldest last", async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page);
  const reader = await createOfficer(page, unique("Busy reader"));
  const created = await page.request.post("/api/v1/queries", { data: { subject: unique("Shared often"), channel: "post" }, headers: CSRF });
  const query = await created.json();
  for (let n = 1; n <= 51; n++) {
    const shared = await page.request.post("/api/v1/shares", {
      data: { recipient_id: reader.id, subject_kind: "query", subject_id: query.id, message: `Share number ${n}` },
      headers: CSRF,
    });
    expect(shared.status()).toBe(201);
  }
  await page.goto("/");
  await signOut(page);
  await signIn(page, reader.email, PASSWORD);
  await page.goto("/notifications");
  const items = page.locator("#notifications > li");
  await expect(items).toHaveCount(50);
  await expect(items.first()).toContainText("Share number 51");
  await expectNoViolations(page, "notifications (first page)");
  await page.getByRole("link", { name: "Older notifications" }).click();
  await expect(page).toHaveURL(/\/notifications\?cursor=/);
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText("Share number 1");
  await expect(page.getByRole("link", { name: "Older notifications" })).toHaveCount(0);
  await expectNoViolations(page, "notifications (older)");
  await page.getByRole("link", { name: "Newest notifications" }).click();
  await expect(items).toHaveCount(50);
});

test("a share shows in the colleague's header at once, without a page change (server-sent events)", async ({ page, playwright }) => {
  await signIn(page);
  const reader = await createOfficer(page, unique("Live reader"));
  await page.goto("/");
  await signOut(page);
  await signIn(page, reader.email, PASSWORD);
  await page.goto("/queries");
  const link = page.locator("#notifications-link");
  await expect(link).toHaveText("Notifications (0 unread)");
  // The administrator works in another client of their own.
  const admin = await playwright.request.newContext({ baseURL: new URL(page.url()).origin });
  const signedIn = await admin.post("/api/v1/auth/sign-in", {
    data: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    headers: CSRF,
  });
  expect(signedIn.ok()).toBeTruthy();
  const query = await (await admin.post("/api/v1/queries", { data: { subject: unique("Live"), channel: "post" }, headers: CSRF })).json();
  const shared = await admin.post("/api/v1/shares", {
    data: { recipient_id: reader.id, subject_kind: "query", subject_id: query.id },
    headers: CSRF,
  });
  expect(shared.status()).toBe(201);
  await expect(link).toHaveText("Notifications (1 unread)");
  await expect(page).toHaveURL(/\/queries$/);

  // On the notifications page, the next one joins the list as it arrives, named and announced.
  await page.goto("/notifications");
  const items = page.locator("#notifications > li");
  await expect(items).toHaveCount(1);
  const again = await admin.post("/api/v1/shares", {
    data: { recipient_id: reader.id, subject_kind: "query", subject_id: query.id, message: "Once more" },
    headers: CSRF,
  });
  expect(again.status()).toBe(201);
  await expect(items).toHaveCount(2);
  await expect(items.first()).toContainText(`shared ${query.reference} ${query.subject} with you`);
  await expect(page.locator("#notifications-announcement")).toHaveText("2 unread notifications");
  await expectNoViolations(page, "notifications (live)");
  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.locator(".govuk-notification-banner--success")).toContainText("All your notifications are marked as read");
  await expect(link).toHaveText("Notifications (0 unread)");
  await expect(page.locator("#notifications .govuk-tag")).toHaveCount(0);
  await admin.dispose();
});

test.describe("at 320 CSS pixels wide", () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test("the work queue with views and the query page reflow", async ({ page }) => {
    await signIn(page);
    const created = await page.request.post("/api/v1/queries", {
      data: { subject: unique("Narrow screen"), channel: "phone" },
      headers: CSRF,
    });
    const query = await created.json();
    await page.goto("/queries");
    await expect(page.getByRole("navigation", { name: "Work queue views" })).toBeVisible();
    await expectNoHorizontalScroll(page, "/queries with views");
    await expectNoViolations(page, "work queue at 320px");
    await page.goto(`/queries/${query.id}`);
    await expect(page.locator("#query-timeline")).toBeVisible();
    await expectNoHorizontalScroll(page, "query page");
    await expectNoViolations(page, "query page at 320px");
  });
});
