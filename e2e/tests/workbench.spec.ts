// The caseworker's workbench: the work queue as a tool (one request a page, fits at 1280 px,
// sortable headers, bulk changes), the header search, and sessions that end cleanly (a deep
// link comes back after sign-in; a page whose session ends does not crash or keep calling).
import type { Locator, Page } from "@playwright/test";
import { test, expect, expectNoViolations, signIn, tabTo, uniqueEmail, ADMIN_EMAIL, ADMIN_PASSWORD } from "./fixtures";

const CSRF = { "X-Casedesk-CSRF": "1" };
const PASSWORD = "a-colleague-password-123";

/** A word no other test's data contains, to find exactly this test's queries. */
function uniqueWord(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

type Made = { id: string; reference: string; version: number };

async function createQueries(page: Page, count: number, word: string): Promise<Made[]> {
  const made: Made[] = [];
  for (let i = 0; i < count; i++) {
    const response = await page.request.post("/api/v1/queries", {
      data: { channel: "post", subject: `Letter ${i + 1} about ${word}` },
      headers: CSRF,
    });
    expect(response.status()).toBe(201);
    const body = await response.json();
    made.push({ id: body.id, reference: body.reference, version: body.version });
  }
  return made;
}

async function createOfficer(page: Page, name: string): Promise<{ id: string; email: string }> {
  const groups = (await (await page.request.get("/api/v1/groups")).json()).items as { id: string; name: string }[];
  const officers = groups.find((g) => g.name === "Customer officers")?.id;
  const email = uniqueEmail("bulk");
  const response = await page.request.post("/api/v1/users", {
    data: { email, display_name: name, password: PASSWORD, group_ids: [officers] },
    headers: CSRF,
  });
  expect(response.status()).toBe(201);
  return { id: (await response.json()).id, email };
}

/** Counts the browser's requests for pages of the work queue (`GET /api/v1/queries`). */
function countListRequests(page: Page): { count: number } {
  const seen = { count: 0 };
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (request.method() === "GET" && url.pathname === "/api/v1/queries") {
      seen.count += 1;
    }
  });
  return seen;
}

test("the work queue is one request a page, fits at 1280 px and sorts by its headers", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  const word = uniqueWord("queue");
  await createQueries(page, 52, word);
  await page.setViewportSize({ width: 1280, height: 900 });
  const lists = countListRequests(page);
  await page.goto(`/queries?q=${word}&sort=reference`);
  const rows = page.locator("#queries tbody tr");
  await expect(rows).toHaveCount(50);
  expect(lists.count, "one list request for the first page").toBe(1);

  // Every default column fits: the table never scrolls sideways at 1280 px.
  const fit = await page.locator("#queue-results").evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(fit.scroll, `queue scroll width ${fit.scroll} within ${fit.client}`).toBeLessThanOrEqual(fit.client);
  const pageFit = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(pageFit).toBeLessThanOrEqual(0);

  // The next page is one more request, and names come with it (no request per customer).
  await page.getByRole("link", { name: /Next/ }).click();
  await expect(rows).toHaveCount(2);
  expect(lists.count, "one list request for the second page").toBe(2);

  // Headers sort: aria-sort says the order, the link turns it round.
  await page.goto(`/queries?q=${word}&sort=reference`);
  const reference = page.locator("#queries thead th").filter({ hasText: "Reference" });
  await expect(reference).toHaveAttribute("aria-sort", "ascending");
  await expect(page.locator("#queries thead th").filter({ hasText: "Received" })).toHaveAttribute("aria-sort", "none");
  await reference.getByRole("link").click();
  await expect(page).toHaveURL(/sort=-reference/);
  await expect(reference).toHaveAttribute("aria-sort", "descending");
  await expect(rows.first()).toContainText("Letter 52");
  await expectNoViolations(page, "work queue (sorted by a header, 1280 px)");

  // Keyboard shortcuts: j and k move through the rows, x selects one, ? lists them all.
  const rowLink = (i: number) => rows.nth(i).getByRole("link").first();
  await page.keyboard.press("j");
  await expect(rowLink(0)).toBeFocused();
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await expect(rowLink(2)).toBeFocused();
  await page.keyboard.press("k");
  await expect(rowLink(1)).toBeFocused();
  await page.keyboard.press("x");
  await expect(rows.nth(1).getByRole("checkbox")).toBeChecked();
  await expect(page.locator("#bulk-count")).toHaveText("1 query selected");
  await page.keyboard.press("?");
  await expect(page).toHaveURL(/\/help\/keyboard$/);
  await expect(page.locator("#shortcuts")).toContainText("Move to the next query or customer in a list");
  await expectNoViolations(page, "keyboard shortcuts");
});

test("an officer bulk-assigns 20 queries from the queue, each with its own history entry", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  const word = uniqueWord("bulk");
  const made = await createQueries(page, 20, word);
  const officer = await createOfficer(page, `Bea ${word}`);
  const team = await page.request.post("/api/v1/teams", { data: { name: `Team ${word}` }, headers: CSRF });
  expect(team.status()).toBe(201);

  await page.goto(`/queries?q=${word}&sort=reference`);
  await expect(page.locator("#queries tbody tr")).toHaveCount(20);
  // Nothing chosen: the error says what to do.
  await page.getByRole("button", { name: "Assign selected" }).click();
  await expect(page.locator(".govuk-error-summary")).toContainText("Select the queries to change");
  await page.getByLabel("Select every query on this page").check();
  await expect(page.locator("#bulk-count")).toHaveText("20 queries selected");
  // The officer is picked by typing; a name typed but not chosen is not sent.
  const bulkOfficer = page.locator("#bulk-actions").getByRole("combobox", { name: "Officer" });
  await bulkOfficer.fill(`Bea ${word}`);
  await page.getByRole("button", { name: "Assign selected" }).click();
  await expect(page.locator(".govuk-error-summary")).toContainText("Choose the officer from the list");
  await expect(page.locator("#bulk-count")).toHaveText("20 queries selected");
  await bulkOfficer.fill(`Bea ${word}`);
  await page.getByRole("option", { name: new RegExp(`^Bea ${word}`) }).click();
  await expect(bulkOfficer).toHaveValue(`Bea ${word}`);
  // A team the officer is not in: a warning before anything is sent.
  await page.locator("#bulk-team").selectOption({ label: `Team ${word}` });
  await expect(page.locator("#bulk-warning")).toContainText(`Bea ${word} is not a member of Team ${word}`);
  await expectNoViolations(page, "work queue (bulk change, warning)");
  await page.locator("#bulk-team").selectOption({ label: "Keep each query's team" });
  await expect(page.locator("#bulk-warning")).toHaveCount(0);
  await page.getByRole("button", { name: "Assign selected" }).click();
  await expect(page.locator(".govuk-notification-banner--success")).toContainText(`20 queries assigned to Bea ${word}`);
  await expect(page.locator("#queries tbody tr").first()).toContainText(`Bea ${word}`);
  await expectNoViolations(page, "work queue (after a bulk change)");

  // Each query has its own assignment in its history, by the administrator.
  for (const query of made) {
    const history = await (await page.request.get(`/api/v1/queries/${query.id}/history`)).json();
    const assigned = history.items.filter((e: { action: string }) => e.action === "query.assigned");
    expect(assigned, query.reference).toHaveLength(1);
    expect(assigned[0].after.assignee_id, query.reference).toBe(officer.id);
  }
  // The history and the timeline say who did it and to whom, by name, never by id.
  await page.goto(`/queries/${made[0].id}/history`);
  const history = page.locator("#record-history");
  await expect(history).toContainText("Assigned");
  await expect(history).toContainText(`Bea ${word}`);
  await expect(history).not.toContainText(officer.id);
  await expect(history).toContainText(/\d{1,2} [A-Z][a-z]+ \d{4} at \d{1,2}:\d{2}(am|pm)/);
  await expectNoViolations(page, "query history (names)");
  await page.goto(`/queries/${made[0].id}`);
  const timeline = page.locator("#query-timeline");
  await expect(timeline).toContainText(`Assigned to Bea ${word}.`);
  await expect(timeline.locator(".moj-timeline__byline").first()).toHaveText(/^by \S/);
  await expect(timeline).not.toContainText(officer.id);

  // A query changed meanwhile is named in the error summary; the others are changed.
  await page.goto(`/queries?q=${word}&sort=reference`);
  await page.getByLabel(`Select ${made[0].reference}`).check();
  await page.getByLabel(`Select ${made[1].reference}`).check();
  const current = await (await page.request.get(`/api/v1/queries/${made[0].id}`)).json();
  const changed = await page.request.post(`/api/v1/queries/${made[0].id}/assignment`, {
    data: {},
    headers: { ...CSRF, "If-Match": `"${current.version}"` },
  });
  expect(changed.status()).toBe(200);
  await bulkOfficer.fill("");
  await page.locator("#bulk-team").selectOption({ label: "No team" });
  await page.getByRole("button", { name: "Assign selected" }).click();
  const summary = page.locator(".govuk-error-summary");
  await expect(summary).toContainText("1 of 2 selected queries were changed");
  await expect(summary).toContainText(`${made[0].reference}: someone else changed it since the list was loaded`);
  await expectNoViolations(page, "work queue (bulk change, one failed)");
});

test("the header search opens a query by its reference and otherwise lists queries and customers", async ({ page }) => {
  await signIn(page);
  const word = uniqueWord("find");
  const [query] = await createQueries(page, 1, word);
  const customer = await page.request.post("/api/v1/customers", {
    data: { given_name: "Harriet", family_name: word },
    headers: CSRF,
  });
  expect(customer.status()).toBe(201);

  // "/" jumps to the search box; a reference opens its query.
  await page.keyboard.press("/");
  const search = page.getByRole("searchbox", { name: "Search queries, customers and documents" });
  await expect(search).toBeFocused();
  await search.fill(query.reference.toLowerCase());
  await search.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/queries/${query.id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(query.reference);

  // Anything else lists what matches.
  await search.fill(word);
  await search.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/search\\?q=${word}$`));
  await expect(page.locator("#query-results")).toContainText(query.reference);
  await expect(page.locator("#customer-results")).toContainText(`Harriet ${word}`);
  await expectNoViolations(page, "search results");
});

test("a deep link opened while signed out returns to itself after sign-in", async ({ page }) => {
  await signIn(page);
  const [query] = await createQueries(page, 1, uniqueWord("deep"));
  await page.context().clearCookies();
  await page.goto(`/queries/${query.id}`);
  await expect(page).toHaveURL(new RegExp(`/sign-in\\?return_to=%2Fqueries%2F${query.id}$`));
  await page.getByLabel("Email address").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/queries/${query.id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(query.reference);
});

test("the query page keeps the officer's place and focus on the composer after saving", async ({ page }) => {
  await signIn(page);
  const [query] = await createQueries(page, 1, uniqueWord("compose"));
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`/queries/${query.id}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(query.reference);
  // Actions sit in a side column beside the record.
  await expect(page.getByRole("complementary", { name: "Actions" }).getByRole("button", { name: "Save assignment" })).toBeVisible();

  const note = page.getByLabel("Note", { exact: true });
  await note.scrollIntoViewIfNeeded();
  await note.fill("First note from the composer.");
  const before = await page.evaluate(() => window.scrollY);
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.locator("#composer-status")).toHaveText("Note added");
  await expect(note).toBeFocused();
  await expect(note).toHaveValue("");
  const timeline = page.locator("#query-timeline");
  await expect(timeline.getByRole("heading", { name: "Note added" })).toBeVisible();
  // The page did not jump back to the top.
  expect(Math.abs((await page.evaluate(() => window.scrollY)) - before)).toBeLessThan(50);

  // A second note straight away: focus never left the text box.
  await page.keyboard.type("Second note, typed without touching the mouse.");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(timeline.getByRole("heading", { name: "Note added" })).toHaveCount(2);
  await expect(note).toBeFocused();
  await expectNoViolations(page, "query page (note saved from the composer)");
});

test("a session ended elsewhere sends the queue to sign-in without a crash or a burst of requests", async ({
  page,
  browser,
}) => {
  await signIn(page);
  const officer = await createOfficer(page, "Ended Elsewhere");
  await createQueries(page, 30, uniqueWord("ended"));
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await signIn(page, officer.email, PASSWORD);
  await page.goto("/queries");
  await expect(page.locator("#queries tbody tr").first()).toBeVisible();

  // The same officer signs in from another browser, which ends this session.
  const second = await browser.newContext();
  try {
    await signIn(await second.newPage(), officer.email, PASSWORD);
  } finally {
    await second.close();
  }
  const afterwards: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/api/")) afterwards.push(request.url());
  });
  // Clicking a menu item under the ended session: the sign-in page says why (the fixture fails
  // the test on any page error, as the panic this once caused).
  await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Customers" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to Casedesk" })).toBeVisible();
  await expect(page.locator("#session-ended")).toContainText("signed in somewhere else");
  await expect(page).toHaveURL(/\/sign-in\?return_to=%2Fcustomers$/);
  await page.waitForTimeout(500);
  expect(afterwards.length, `requests after the session ended: ${afterwards.join(", ")}`).toBeLessThanOrEqual(6);
});

test("Swagger UI sends the CSRF header, so Try it out can write with the browser's session", async ({ page }) => {
  await signIn(page);
  await page.goto("/docs/swagger/");
  await expect(page.locator(".swagger-ui .opblock").first()).toBeVisible();
  const header = await page.evaluate(() => {
    const ui = (window as unknown as { ui: { getConfigs(): { requestInterceptor(r: object): { headers: Record<string, string> } } } }).ui;
    return ui.getConfigs().requestInterceptor({ headers: {} }).headers["X-Casedesk-CSRF"];
  });
  expect(header).toBe("1");
});

/** Tab reaches a radio group once; the arrow keys then move to (and choose) `target`. */
async function chooseRadio(page: Page, target: Locator): Promise<void> {
  const name = await target.getAttribute("name");
  for (let presses = 0; presses < 80; presses++) {
    if (await page.evaluate((n) => (document.activeElement as HTMLInputElement | null)?.name === n, name)) {
      break;
    }
    await page.keyboard.press("Tab");
  }
  for (let presses = 0; presses < 12; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) {
      await page.keyboard.press("Space");
      await expect(target).toBeChecked();
      return;
    }
    await page.keyboard.press("ArrowDown");
  }
  throw new Error(`could not reach ${target} with the arrow keys`);
}

test("log a query with customer, type, team and officer in one go, by keyboard alone", async ({ page }) => {
  // Setup through the API: a customer, a query type, a team and an officer who is not in it.
  await signIn(page);
  const word = uniqueWord("kb");
  const customer = await page.request.post("/api/v1/customers", {
    data: { given_name: "Keyla", family_name: word, emails: [`${word}@example.org`] },
    headers: CSRF,
  });
  expect(customer.status()).toBe(201);
  const customerId = (await customer.json()).id as string;
  const type = await page.request.post("/api/v1/query-types", { data: { name: `Type ${word}` }, headers: CSRF });
  expect(type.status()).toBe(201);
  const typeId = (await type.json()).id as string;
  const team = await page.request.post("/api/v1/teams", { data: { name: `Team ${word}` }, headers: CSRF });
  expect(team.status()).toBe(201);
  const teamId = (await team.json()).id as string;
  const officer = await createOfficer(page, `Kim ${word}`);
  await page.context().clearCookies();

  // Sign in, then reach "Log a query" through the menu, never touching the mouse.
  await page.goto("/sign-in");
  await tabTo(page, page.getByLabel("Email address"));
  await page.keyboard.type(ADMIN_EMAIL);
  await page.keyboard.press("Tab");
  await page.keyboard.type(ADMIN_PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Home" })).toBeVisible();
  await tabTo(page, page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Queries" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/queries/);
  await tabTo(page, page.getByRole("button", { name: "Log a query" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Log a query" })).toBeVisible();

  // Every problem is reported in one round.
  await tabTo(page, page.getByRole("button", { name: "Log query" }));
  await page.keyboard.press("Enter");
  const summary = page.locator(".govuk-error-summary");
  await expect(summary).toBeFocused();
  await expect(summary).toContainText("Select how the query was received");
  await expect(summary).toContainText("Enter a summary of the query");
  await expect(summary).toContainText("Select who the query is from");
  await expectNoViolations(page, "log a query (every error at once)");

  // The form, by keyboard: Space picks a radio, the pickers take typing, arrows and Enter.
  await chooseRadio(page, page.getByLabel("Phone", { exact: true }));
  await tabTo(page, page.getByLabel("Subject"));
  await page.keyboard.type(`Council tax bill for ${word}`);
  await chooseRadio(page, page.getByLabel("An existing customer"));
  const find = page.getByRole("combobox", { name: "Find the customer" });
  await tabTo(page, find);
  await page.keyboard.type(word);
  await expect(page.getByRole("option", { name: new RegExp(`Keyla ${word}`) })).toBeVisible();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(find).toHaveValue(`Keyla ${word}`);
  await tabTo(page, page.getByLabel("Type (optional)"));
  await page.getByLabel("Type (optional)").selectOption({ label: `Type ${word} (general)` });
  const officerBox = page.getByRole("combobox", { name: "Officer", exact: true });
  await tabTo(page, officerBox);
  await page.keyboard.type(`Kim ${word}`);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(officerBox).toHaveValue(`Kim ${word}`);
  const teamBox = page.getByRole("combobox", { name: "Team", exact: true });
  await tabTo(page, teamBox);
  await page.keyboard.type(`Team ${word}`);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(teamBox).toHaveValue(`Team ${word}`);
  // Kim is not in the team: allowed, but the form says so.
  await expect(page.locator("#log-warning")).toContainText(`Kim ${word} is not a member of Team ${word}`);
  await expectNoViolations(page, "log a query (filled in, with the team warning)");
  await tabTo(page, page.getByRole("button", { name: "Log query" }));
  await page.keyboard.press("Enter");

  // One submission made the query with all of it.
  await expect(page).toHaveURL(/\/queries\/[0-9a-f-]{36}$/);
  const id = new URL(page.url()).pathname.split("/").pop();
  const made = await (await page.request.get(`/api/v1/queries/${id}`)).json();
  expect([made.customer_id, made.type_id, made.assignee_id, made.team_id]).toEqual([customerId, typeId, officer.id, teamId]);
  const details = page.locator("#query-summary");
  await expect(details).toContainText(`Keyla ${word}`);
  await expect(details).toContainText(`Kim ${word}`);
  await expect(details).toContainText(`Team ${word}`);

  // A note from the composer, and straight on to the next by keyboard.
  await tabTo(page, page.getByLabel("Note", { exact: true }));
  await page.keyboard.type("Called back, explained the bill.");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(page.locator("#composer-status")).toHaveText("Note added");
  await expect(page.getByLabel("Note", { exact: true })).toBeFocused();

  // "/" jumps to the header search; the query's reference opens it again.
  await tabTo(page, page.getByRole("link", { name: "Back to queries" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/queries/);
  await page.keyboard.press("/");
  await page.keyboard.type(made.reference);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/queries/${id}$`));
  await expectNoViolations(page, "query page (reached by keyboard)");
});

test("home is the officer's work: their open queries, unassigned in their teams, their team's workload, latest notifications, recently viewed", async ({ page }) => {
  await signIn(page);
  const word = uniqueWord("home");
  const officer = await createOfficer(page, `Hana ${word}`);
  const team = await page.request.post("/api/v1/teams", {
    data: { name: `Team ${word}`, member_ids: [officer.id], leader_ids: [officer.id] },
    headers: CSRF,
  });
  expect(team.status()).toBe(201);
  const teamId = (await team.json()).id as string;
  const make = async (subject: string, extra: object) => {
    const response = await page.request.post("/api/v1/queries", {
      data: { channel: "phone", subject, ...extra },
      headers: CSRF,
    });
    expect(response.status()).toBe(201);
    return (await response.json()).reference as string;
  };
  const mine = await make(`Mine ${word}`, { assignee_id: officer.id, team_id: teamId });
  const waiting = await make(`Waiting ${word}`, { team_id: teamId });
  await page.context().clearCookies();

  await signIn(page, officer.email, PASSWORD);
  await expect(page.getByRole("table", { name: "Your open queries" })).toContainText(mine);
  const unassigned = page.getByRole("table", { name: `Unassigned in Team ${word}` });
  await expect(unassigned).toContainText(waiting);
  await expect(unassigned).not.toContainText(mine);
  await expect(page.locator("#home-notifications")).toContainText(`assigned you ${mine} Mine ${word}`);
  // They lead the team: its workload, each count a link to that list.
  const workload = page.getByRole("table", { name: `Workload of Team ${word}: 2 open` });
  await expect(workload.getByRole("row", { name: /^Unassigned/ })).toContainText("1");
  await expect(workload.getByRole("row", { name: new RegExp(`^Hana ${word}`) })).toContainText("1");
  await expectNoViolations(page, "home (my work)");
  await expect(page.locator("#recently-viewed")).toHaveCount(0);
  await page.getByRole("table", { name: "Your open queries" }).getByRole("link", { name: mine }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(mine);

  // Recently viewed is kept by the server (it follows the officer to another browser), newest
  // first, and opens the record again.
  await page.goto("/");
  await page.getByRole("table", { name: `Unassigned in Team ${word}` }).getByRole("link", { name: waiting }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(waiting);
  await page.context().clearCookies();
  await signIn(page, officer.email, PASSWORD);
  const recent = page.locator("#recently-viewed");
  await expect(recent.getByRole("link")).toHaveText([`${waiting} Waiting ${word}`, `${mine} Mine ${word}`]);
  await expectNoViolations(page, "home (recently viewed)");
  await recent.getByRole("link", { name: `${mine} Mine ${word}` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(mine);
});

test("the queue opens on the officer's last view, the first time on their own open queries", async ({ page }) => {
  await signIn(page);
  const menuQueries = page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Queries" });
  await menuQueries.click();
  await expect(page).toHaveURL(/\/queries\?assignee=me&open=true$/);
  await expect(page.getByRole("navigation", { name: "Work queue views" }).getByRole("link", { name: /^My queries/ })).toHaveAttribute(
    "aria-current",
    "page",
  );

  // Another list, with search text: the menu comes back to its filters and sort, but the search
  // text (it may name a customer) is never kept in the browser.
  const word = uniqueWord("secret");
  await page.goto(`/queries?q=${word}&open=false&sort=-received_at`);
  await expect(page.getByRole("heading", { level: 1, name: "Queries" })).toBeVisible();
  await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Home" }).click();
  await menuQueries.click();
  await expect(page).toHaveURL(/\/queries\?/);
  const url = new URL(page.url());
  expect([url.searchParams.get("open"), url.searchParams.get("sort"), url.searchParams.get("q")]).toEqual([
    "false",
    "-received_at",
    null,
  ]);
  const stored = await page.evaluate(() => JSON.stringify(window.localStorage));
  expect(stored).not.toContain(word);
});

test("the customers page searches by name, email, phone or postcode and shows UK numbers as people write them", async ({ page }) => {
  await signIn(page);
  const word = uniqueWord("cust");
  const made = await page.request.post("/api/v1/customers", {
    data: {
      given_name: "Cara",
      family_name: word,
      phones: ["+44 117 925 0000", "+1 202-456-1111"],
      address: { lines: ["1 High Street"], town: "Bristol", postcode: "BS1 6PN" },
    },
    headers: CSRF,
  });
  expect(made.status()).toBe(201);
  await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Customers" }).click();
  const box = page.getByRole("searchbox", { name: "Search customers" });
  await box.fill(word);
  await box.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/customers\\?q=${word}$`));
  const rows = page.locator("#customers tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`Cara ${word}`);
  await expect(rows.first()).toContainText("0117 925 0000");
  await expectNoViolations(page, "customers (search results)");
  await box.fill(`${word}-nobody`);
  await box.press("Enter");
  await expect(page.locator("#no-customers")).toHaveText("No customers match your search.");
  await page.getByRole("link", { name: "Show all customers" }).click();
  await expect(page).toHaveURL(/\/customers$/);
  await page.goto(`/customers?q=${word}`);
  await rows.first().getByRole("link").click();
  await expect(page.locator("body")).toContainText("0117 925 0000");
  await expect(page.locator("body")).toContainText("+1 202-456-1111");

  // The edit form covers every field the API has, several emails and phones included.
  await page.getByRole("link", { name: "Change details" }).click();
  await expect(page.getByLabel("Phone number 2 (optional)")).toHaveValue("+12024561111");
  await page.getByLabel("Title (optional)").fill("Dr");
  await page.getByLabel("Organisation (optional)").fill("Bristol Tenants Association");
  await page.getByLabel("Email address (optional)").fill(`${word}@example.org`);
  await page.getByLabel("Email address 2 (optional)").fill(`${word}@work.example.org`);
  await page.getByLabel("Address line 3 (optional)").fill("Redcliffe");
  await page.getByRole("group", { name: "How do they prefer us to reply?" }).getByLabel("Post").check();
  await page.getByLabel("Notes (optional)").fill("Prefers letters in the morning post.");
  await page.getByLabel("Feedback surveys about how we handled their query").check();
  await expectNoViolations(page, "edit customer (every field)");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.locator(".govuk-notification-banner--success")).toContainText("details have been updated");
  const saved = await (await page.request.get(`/api/v1/customers/${(await made.json()).id}`)).json();
  expect([saved.title, saved.organisation, saved.emails, saved.phones, saved.address.lines, saved.preferred_channel]).toEqual([
    "Dr",
    "Bristol Tenants Association",
    [`${word}@example.org`, `${word}@work.example.org`],
    ["+441179250000", "+12024561111"],
    ["1 High Street", "Redcliffe"],
    "post",
  ]);
  expect([saved.notes, saved.consent]).toEqual([
    "Prefers letters in the morning post.",
    { feedback_surveys: true, updates_by_email: false },
  ]);
});
