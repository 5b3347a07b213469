// Workflows (issue 15, item 1): resolving a query asks for its resolution summary and offers
// only the moves its workflow allows; an administrator adds a status and a move to the
// default workflow by keyboard and publishes it as the next version, and reads each
// workflow as a table of its moves.
import { test, expect, expectNoViolations, signIn, tabTo } from "./fixtures";

const CSRF = { "X-Casedesk-CSRF": "1" };

test("resolving a query requires the resolution summary, and only the workflow's moves are offered", async ({ page }) => {
  await signIn(page);
  const logged = await page.request.post("/api/v1/queries", {
    data: { subject: `Resolve me ${Date.now()}`, channel: "email" },
    headers: CSRF,
  });
  expect(logged.status()).toBe(201);
  const query = await logged.json();
  await page.goto(`/queries/${query.id}`);
  const select = page.getByLabel("Change status");
  const offered = async () => (await select.locator("option").allTextContents()).slice(1);
  await expect(select.locator("option")).toHaveCount(4);
  expect(await offered()).toEqual(["In progress", "Waiting for customer", "Resolved"]);

  await tabTo(page, select);
  await select.selectOption({ label: "Resolved" });
  const summary = page.getByLabel("Resolution summary");
  await expect(summary).toBeVisible();
  await page.getByRole("button", { name: "Save status" }).click();
  const errors = page.locator(".govuk-error-summary");
  await expect(errors).toBeFocused();
  await expect(errors).toContainText("Moving to Resolved needs a resolution summary");
  await expect(summary).toHaveClass(/govuk-textarea--error/);
  await expect(page.locator("#query-summary .moj-badge")).toHaveText("New");
  await expectNoViolations(page, "query page (resolution summary missing)");

  await summary.fill("Refund sent and the customer told by email");
  await page.getByRole("button", { name: "Save status" }).click();
  await expect(page.locator(".govuk-notification-banner--success")).toContainText("Status changed to Resolved");
  await expect(page.locator("#query-summary .moj-badge")).toHaveText("Resolved");
  const history = page.locator("#status-history tbody tr");
  await expect(history.first()).toContainText("Refund sent and the customer told by email");
  // From Resolved: closed, or reopened (which asks for a reason).
  await expect(select.locator("option")).toHaveCount(3);
  expect(await offered()).toEqual(["In progress", "Closed"]);
  await select.selectOption({ label: "In progress" });
  await expect(page.getByLabel("Reason")).toBeVisible();
  await expect(page.getByLabel("Resolution summary")).toHaveCount(0);
  await expectNoViolations(page, "query page (reopening)");
});

test("an administrator adds a status and a move to the default workflow by keyboard and publishes it", async ({ page }) => {
  await signIn(page);
  await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Administration" }).click();
  await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Workflows" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Statuses and workflows" })).toBeVisible();
  const statuses = page.locator("#statuses");
  await expect(statuses.getByRole("row").nth(1)).toContainText("New");
  const picture = page.locator("#workflow-0");
  await expect(picture.locator("caption")).toContainText("Default workflow, version");
  const resolving = picture.getByRole("row").filter({ hasText: "A resolution summary" }).first();
  await expect(resolving).toContainText("Resolved");
  await expectNoViolations(page, "statuses and workflows");

  // Add a status by keyboard.
  const name = `With a third party ${Date.now()}`;
  await tabTo(page, page.getByLabel("Name", { exact: true }));
  await page.keyboard.type(name);
  await tabTo(page, page.getByLabel("What it means"));
  await page.getByLabel("What it means").selectOption({ label: "Waiting: on the customer (service-level clocks pause)" });
  await tabTo(page, page.getByRole("button", { name: "Add status" }));
  await page.keyboard.press("Enter");
  await expect(page.locator(".govuk-notification-banner--success")).toContainText(`${name} has been added`);
  await expect(statuses).toContainText(name);

  // A move to it that a reopen-like step guards with a reason, then publish.
  const before = await page.locator("#publish-workflow").textContent();
  await tabTo(page, page.getByLabel("From"));
  await page.getByLabel("From").selectOption({ label: "In progress" });
  await tabTo(page, page.getByLabel("To", { exact: true }));
  await page.getByLabel("To", { exact: true }).selectOption({ label: name });
  await tabTo(page, page.getByLabel("A reason"));
  await page.keyboard.press("Space");
  await tabTo(page, page.getByRole("button", { name: "Add move" }));
  await page.keyboard.press("Enter");
  const draft = page.locator("#draft-moves");
  await expect(draft.getByRole("row").filter({ hasText: name })).toContainText("A reason");
  await tabTo(page, page.locator("#publish-workflow"));
  await page.keyboard.press("Enter");
  await expect(page.locator(".govuk-notification-banner--success")).toContainText("Default workflow: version");
  await expect(page.locator("#publish-workflow")).not.toHaveText(before ?? "");
  await expect(picture.getByRole("row").filter({ hasText: name })).toContainText("A reason");
  await expectNoViolations(page, "statuses and workflows (published)");

  // A query logged now may move to the new status, with a reason.
  const logged = await page.request.post("/api/v1/queries", { data: { subject: "Third party", channel: "phone" }, headers: CSRF });
  const query = await logged.json();
  const open = await page.request.get("/api/v1/query-statuses");
  const inProgress = ((await open.json()).items as { id: string; name: string }[]).find((s) => s.name === "In progress");
  const moved = await page.request.post(`/api/v1/queries/${query.id}/status`, {
    data: { status_id: inProgress?.id },
    headers: { ...CSRF, "If-Match": `"${query.version}"` },
  });
  expect(moved.status()).toBe(200);
  await page.goto(`/queries/${query.id}`);
  await page.getByLabel("Change status").selectOption({ label: name });
  await expect(page.getByLabel("Reason")).toBeVisible();
});
