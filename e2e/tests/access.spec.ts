// Groups and permissions: an administrator makes a read-only group; its member sees queries
// but no controls to change them, and the API refuses them; once the administrator puts them
// in the officers' group, they can change queries at their next sign-in. Axe on every new page
// and state.
import type { Page } from "@playwright/test";
import { test, expect, expectNoViolations, signIn, uniqueEmail } from "./fixtures";

const CSRF = { "X-Casedesk-CSRF": "1" };
const PASSWORD = "a-reader-password-1234";

function unique(text: string): string {
  return `${text} ${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sign in to Casedesk" })).toBeVisible();
}

const banner = (page: Page) => page.locator(".govuk-notification-banner--success");
const errorSummary = (page: Page) => page.locator(".govuk-error-summary");

test("a read-only group sees queries without changing them, until an administrator adds its member to the officers", async ({
  page,
}) => {
  await signIn(page);
  const subject = unique("Pothole on the high street");
  const created = await page.request.post("/api/v1/queries", { data: { subject, channel: "phone" }, headers: CSRF });
  expect(created.status()).toBe(201);
  const queryId = (await created.json()).id as string;

  // The groups page, then a new group that may only read customers and queries.
  await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Administration" }).click();
  await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Groups" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Groups and permissions" })).toBeVisible();
  await expect(page.locator("#groups tbody tr").filter({ hasText: "Administrators" })).toContainText("Built in");
  await expectNoViolations(page, "groups");
  await page.getByRole("button", { name: "Add a group" }).click();
  await expect(page).toHaveURL(/\/admin\/groups\/new$/);
  await page.getByRole("button", { name: "Save group" }).click();
  await expect(errorSummary(page)).toContainText("Enter the group’s name");
  await expectNoViolations(page, "add a group (error)");
  const groupName = unique("Readers");
  await page.getByLabel("Group name").fill(groupName);
  await page.getByLabel("Description (optional)").fill("May look but not touch");
  await page.getByRole("group", { name: "Customers" }).getByLabel("Read", { exact: true }).check();
  await page.getByRole("group", { name: "Queries" }).getByLabel("Read", { exact: true }).check();
  await expectNoViolations(page, "add a group");
  await page.getByRole("button", { name: "Save group" }).click();
  await expect(banner(page)).toContainText(`Group ${groupName} has been added`);
  const row = page.locator("#groups tbody tr").filter({ hasText: groupName });
  await expect(row).toContainText("Customers: read; Queries: read");
  await expect(row).toContainText("0 members");

  // A user in that group only.
  const email = uniqueEmail("reader");
  await page.goto("/users/new");
  await page.getByLabel("Full name").fill("Rita Reader");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel(groupName).check();
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(banner(page)).toBeVisible();
  await signOut(page);

  // The reader sees the query and no way to change it; the API refuses the change anyway.
  await signIn(page, email, PASSWORD);
  await page.goto("/queries");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("button", { name: "Log a query" })).toHaveCount(0);
  await page.goto(`/queries/${queryId}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(subject);
  await expect(page.getByRole("link", { name: "Change details" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Delete query" })).toHaveCount(0);
  const refused = await page.request.post("/api/v1/queries", { data: { subject: "Not allowed", channel: "phone" }, headers: CSRF });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).code).toBe("forbidden");
  await signOut(page);

  // The administrator puts the reader in the officers' group on the user's page.
  await signIn(page);
  await page.goto("/users");
  await page.getByRole("link", { name: "Rita Reader" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Rita Reader" })).toBeVisible();
  const queriesRow = page.locator("#access tbody tr").filter({ hasText: "Queries" });
  await expect(queriesRow).toContainText("Read");
  await expect(queriesRow).toContainText(groupName);
  await expectNoViolations(page, "a user's page");
  await page.getByLabel("Customer officers").check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(banner(page)).toContainText("Rita Reader has been changed");
  await signOut(page);

  await signIn(page, email, PASSWORD);
  await page.goto(`/queries/${queryId}`);
  await expect(page.getByRole("link", { name: "Change details" })).toBeVisible();
  const allowed = await page.request.post("/api/v1/queries", { data: { subject: unique("Now allowed"), channel: "phone" }, headers: CSRF });
  expect(allowed.status()).toBe(201);
});

test("an officer creates an API token, sees its secret once, uses it within its scope and revokes it", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Your API tokens" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your API tokens" })).toBeVisible();
  await expectNoViolations(page, "API tokens");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(errorSummary(page)).toContainText("Enter a name for the token");
  await expectNoViolations(page, "API tokens (error)");

  const name = unique("Power BI");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Expires after").selectOption("30");
  await page.getByRole("group", { name: "Queries" }).getByLabel("Read", { exact: true }).check();
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.locator("#new-token-secret").textContent()) ?? "";
  expect(secret).toMatch(/^cdk_/);
  await expect(page.locator("#new-token")).toContainText("you will not see it again");
  const row = page.locator("#api-tokens tbody tr").filter({ hasText: name });
  await expect(row).toContainText("Queries: read");
  await expect(row).toContainText("Active");
  await expectNoViolations(page, "API tokens (a new token shown once)");

  const auth = { Authorization: `Bearer ${secret}` };
  expect((await page.request.get("/api/v1/queries", { headers: auth })).status()).toBe(200);
  const write = await page.request.post("/api/v1/queries", { data: { subject: "From a script", channel: "email" }, headers: auth });
  expect(write.status(), "a read-only token cannot write").toBe(403);

  // Administrators see every token, with its owner.
  await page.goto("/admin/api-tokens");
  const everyone = page.locator("#all-api-tokens tbody tr").filter({ hasText: name });
  await expect(everyone).toContainText("Administrator");
  await expect(everyone).toContainText("Active");
  await expectNoViolations(page, "every API token");

  await page.goto("/account/api-tokens");
  await expect(page.locator("#new-token")).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(banner(page)).toContainText(`The token ‘${name}’ has been revoked`);
  await expect(row).toContainText("Revoked");
  expect((await page.request.get("/api/v1/queries", { headers: auth })).status(), "revoked at once").toBe(401);
});

test("a second sign-in ends the first browser's session, or with the refuse setting is refused", async ({ page, browser }) => {
  // An officer, signed in here (the first browser).
  await signIn(page);
  const groups = (await (await page.request.get("/api/v1/groups")).json()).items as { id: string; name: string }[];
  const officers = groups.find((g) => g.name === "Customer officers")?.id;
  const email = uniqueEmail("twice");
  const created = await page.request.post("/api/v1/users", {
    data: { email, display_name: "Tess Twice", password: PASSWORD, group_ids: [officers] },
    headers: CSRF,
  });
  expect(created.status()).toBe(201);
  await signOut(page);
  await signIn(page, email, PASSWORD);

  // The same officer signs in from a second browser: the first is told why it was signed out.
  const second = await browser.newContext();
  const other = await second.newPage();
  try {
    await signIn(other, email, PASSWORD);
    await page.goto("/queries");
    await expect(page.getByRole("heading", { level: 1, name: "Sign in to Casedesk" })).toBeVisible();
    await expect(page.locator("#session-ended")).toContainText("You were signed out because you signed in somewhere else");
    await expectNoViolations(page, "sign-in after being signed in elsewhere");

    // An administrator (in the second browser) sets "refuse" on the sessions page.
    await signOut(other);
    await signIn(other);
    await other.goto("/admin/sessions");
    await expect(other.getByRole("heading", { level: 1, name: "Sessions" })).toBeVisible();
    await expect(other.locator("#sessions")).toContainText("This session");
    await expectNoViolations(other, "sessions");
    await other.getByLabel("Refuse the new sign-in").check();
    await other.getByRole("button", { name: "Save settings" }).click();
    await expect(banner(other)).toContainText("The sign-in settings have been saved");

    // The officer signs in here; a third browser is then refused while this session is live.
    await signIn(page, email, PASSWORD);
    const third = await browser.newContext();
    const refused = await third.newPage();
    await refused.goto("/sign-in");
    await refused.getByLabel("Email address").fill(email);
    await refused.getByLabel("Password").fill(PASSWORD);
    await refused.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(errorSummary(refused)).toContainText("Sign out there first");
    await third.close();

    // The administrator ends the officer's session; the officer's browser says who did.
    await other.reload();
    const row = other.locator("#sessions tbody tr").filter({ hasText: "Tess Twice" });
    await row.getByRole("button", { name: "End session of Tess Twice" }).click();
    await expect(banner(other)).toContainText("Tess Twice’s session has been ended");
    await page.goto("/queries");
    await expect(page.locator("#session-ended")).toContainText("You were signed out by an administrator");
  } finally {
    // Back to the default, so later tests can sign in again from new browsers.
    const current = await other.request.get("/api/v1/settings/access");
    if (current.ok()) {
      const etag = current.headers()["etag"];
      await other.request.put("/api/v1/settings/access", {
        data: { one_session: "end_others", local_sign_in: "everyone" },
        headers: { ...CSRF, "If-Match": etag },
      });
    }
    await second.close();
  }
});

test("a query restricted to a group is invisible to others in the list, search and the customer's timeline", async ({ page }) => {
  await signIn(page);
  const me = (await (await page.request.get("/api/v1/me")).json()).user.id as string;
  const panelName = unique("Complaints panel");
  const panel = await page.request.post("/api/v1/groups", { data: { name: panelName, member_ids: [me] }, headers: CSRF });
  expect(panel.status()).toBe(201);
  const word = `Quagga${Date.now()}`;
  const customer = await page.request.post("/api/v1/customers", {
    data: { given_name: "Rae", family_name: `Stricted${Date.now()}`, address: { lines: ["1 High St"], postcode: "BS1 6PN" } },
    headers: CSRF,
  });
  const customerId = (await customer.json()).id as string;
  const complaint = await page.request.post("/api/v1/queries", {
    data: { customer_id: customerId, channel: "phone", subject: `${word} complaint about an officer` },
    headers: CSRF,
  });
  const queryId = (await complaint.json()).id as string;
  const ordinary = await page.request.post("/api/v1/queries", {
    data: { customer_id: customerId, channel: "phone", subject: `${word} missed bin` },
    headers: CSRF,
  });
  expect(ordinary.status()).toBe(201);

  // Restrict it on the query page.
  await page.goto(`/queries/${queryId}`);
  await page.getByRole("group", { name: "Who can see this query" }).getByLabel(panelName).check();
  await page.getByRole("button", { name: "Save who can see it" }).click();
  await expect(banner(page)).toContainText("Who can see this query has been saved");
  await expect(page.locator("#restricted-to")).toContainText(`Only members of ${panelName} can see this query`);
  await expectNoViolations(page, "a restricted query");

  // An officer outside the group sees the other query only.
  const groups = (await (await page.request.get("/api/v1/groups")).json()).items as { id: string; name: string }[];
  const officers = groups.find((g) => g.name === "Customer officers")?.id;
  const email = uniqueEmail("outsider");
  const created = await page.request.post("/api/v1/users", {
    data: { email, display_name: "Otto Outsider", password: PASSWORD, group_ids: [officers] },
    headers: CSRF,
  });
  expect(created.status()).toBe(201);
  await signOut(page);
  await signIn(page, email, PASSWORD);
  await page.goto(`/queries?q=${word}`);
  await expect(page.locator("#queries tbody tr")).toHaveCount(1);
  await expect(page.locator("#queries")).toContainText("missed bin");
  await expect(page.locator("#queries")).not.toContainText("complaint about an officer");
  await page.goto(`/customers/${customerId}`);
  await expect(page.getByText(`${word} missed bin`).first()).toBeVisible();
  await expect(page.getByText(`${word} complaint about an officer`)).toHaveCount(0);
  expect((await page.request.get(`/api/v1/queries/${queryId}`)).status()).toBe(404);
});

test("a team-limited grant shows change controls only on the team's queries", async ({ page }) => {
  await signIn(page);
  const email = uniqueEmail("teamed");
  const user = await page.request.post("/api/v1/users", {
    data: { email, display_name: "Tess Teamed", password: PASSWORD },
    headers: CSRF,
  });
  expect(user.status()).toBe(201);
  const userId = (await user.json()).id as string;
  const group = async (name: string, grants: object[]) =>
    expect((await page.request.post("/api/v1/groups", { data: { name: unique(name), grants, member_ids: [userId] }, headers: CSRF })).status()).toBe(201);
  await group("All readers", [{ area: "queries", level: "read" }, { area: "customers", level: "read" }]);
  await group("Team workers", [{ area: "queries", level: "read_write", own_teams: true }]);
  const team = async (name: string, members: string[]) =>
    (await (await page.request.post("/api/v1/teams", { data: { name: unique(name), member_ids: members }, headers: CSRF })).json()).id as string;
  const north = await team("North", [userId]);
  const south = await team("South", []);
  const ids: string[] = [];
  for (const teamId of [north, south]) {
    const query = await (await page.request.post("/api/v1/queries", { data: { subject: unique("Bins"), channel: "phone" }, headers: CSRF })).json();
    const assigned = await page.request.post(`/api/v1/queries/${query.id}/assignment`, {
      data: { team_id: teamId },
      headers: { ...CSRF, "If-Match": '"1"' },
    });
    expect(assigned.status()).toBe(200);
    ids.push(query.id as string);
  }
  await signOut(page);

  await signIn(page, email, PASSWORD);
  await page.goto(`/queries/${ids[0]}`);
  await expect(page.getByRole("link", { name: "Change details" })).toBeVisible();
  await page.goto(`/queries/${ids[1]}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Bins");
  await expect(page.getByRole("link", { name: "Change details" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Add note" })).toHaveCount(0);
});
