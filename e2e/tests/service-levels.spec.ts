// Service levels (issue 15): an administrator sees the policies in the order they are tried,
// works out due times by keyboard and moves a policy up; an urgent query received almost 30
// minutes ago shows its 24x7 first-response clock turn overdue without a reload, and its
// officer's notification count goes up as the overdue alert arrives, also without a reload.
import { test, expect, expectNoViolations, signIn, tabTo } from "./fixtures";

const CSRF = { "X-Casedesk-CSRF": "1" };

test("an administrator previews and orders service-level policies by keyboard", async ({ page }) => {
  await signIn(page);
  await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Administration" }).click();
  await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Service levels" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Service levels" })).toBeVisible();
  const policies = page.locator("#policies");
  await expect(policies.getByRole("row").nth(1)).toContainText("Severity 1: system unavailable (24x7)");
  await expect(policies.getByRole("row").nth(1)).toContainText("30 minutes on the clock");
  await expect(policies.getByRole("row").nth(2)).toContainText("1 working day");
  await expectNoViolations(page, "service levels");

  // AFS-02 on the Thursday before Easter at 16:30: Good Friday and Easter Monday are off.
  const policy = page.getByLabel("Policy", { exact: true });
  await tabTo(page, policy);
  await page.keyboard.press("ArrowDown");
  for (const [label, value] of [["Day", "2"], ["Month", "4"], ["Year", "2026"], ["Time", "16:30"]]) {
    await tabTo(page, page.getByRole("group", { name: "Received" }).getByLabel(label, { exact: true }));
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(value);
  }
  await page.keyboard.press("Enter");
  await expect(page.locator("#sla-preview")).toContainText("A first response would be due on 7 April 2026 at 5:00pm");
  await expectNoViolations(page, "service levels (a preview)");

  await tabTo(page, page.getByRole("button", { name: "Move up Other severities: office hours" }), true);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert")).toContainText("Other severities: office hours is now tried earlier");
  await expect(policies.getByRole("row").nth(1)).toContainText("Other severities: office hours");
  await expectNoViolations(page, "service levels (reordered)");
  // Put back, so that the order the other tests rely on holds.
  await page.getByRole("button", { name: "Move up Severity 1: system unavailable (24x7)" }).click();
  await expect(policies.getByRole("row").nth(1)).toContainText("Severity 1");

  // Re-timing is asked for, never done silently; it runs as a scheduled job.
  await tabTo(page, page.getByRole("button", { name: "Re-time open queries under Other severities: office hours" }), true);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert")).toContainText(/Open queries under Other severities: office hours will be timed again|already asked for/);
  await expectNoViolations(page, "service levels (re-timing asked for)");
});

test("an urgent query turns overdue while open, and its officer's count goes up without a reload", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  const me = await (await page.request.get("/api/v1/me")).json();
  const received = new Date(Date.now() - (30 * 60 - 20) * 1000).toISOString();
  const created = await page.request.post("/api/v1/queries", {
    data: { subject: "Nobody can sign in", channel: "phone", priority: "urgent", received_at: received, assignee_id: me.user.id },
    headers: CSRF,
  });
  expect(created.status()).toBe(201);
  const query = await created.json();
  await page.goto(`/queries/${query.id}`);
  await expect(page.getByRole("heading", { level: 2, name: "Service level" })).toBeVisible();
  const firstResponse = page.locator("#clock-first-response");
  await expect(firstResponse).toContainText("Due soon");
  await expect(page.locator("#clock-resolution")).toContainText("On track");
  await expectNoViolations(page, "a query's clocks (due soon)");

  // The due-soon alert has come (the sweep runs every 2 s here); the count shown now is the
  // baseline. A mark on the window tells whether the page was ever loaded again.
  const alerted = async (kind: string) => {
    const page1 = await (await page.request.get("/api/v1/notifications?limit=100")).json();
    return page1.items.some((n: { kind: string; subject_id: string }) => n.kind === kind && n.subject_id === query.id);
  };
  await expect.poll(() => alerted("due_soon"), { timeout: 15_000 }).toBe(true);
  const link = page.locator("#notifications-link");
  const unread = async () => Number(((await link.textContent()) ?? "").match(/\((\d+) unread\)/)?.[1] ?? -1);
  await expect.poll(unread).toBeGreaterThan(0);
  const before = await unread();
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

  await expect(firstResponse).toContainText("Overdue", { timeout: 45_000 });
  await expectNoViolations(page, "a query's clocks (overdue)");
  await expect.poll(() => alerted("overdue"), { timeout: 15_000 }).toBe(true);
  await expect.poll(unread, { timeout: 10_000 }).toBeGreaterThan(before);
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

  await link.click();
  const item = page.locator("#notifications li").filter({ hasText: "Nobody can sign in is overdue" });
  await expect(item).toContainText("First response was due by");
  await expectNoViolations(page, "an overdue alert");
});

test("queues show when each query is due, in words, and the Overdue view lists the late ones soonest due first", async ({ page }) => {
  await signIn(page);
  const word = `Due${Date.now().toString(36)}`;
  const create = async (subject: string, minutesAgo: number) => {
    const received = new Date(Date.now() - minutesAgo * 60 * 1000).toISOString();
    const created = await page.request.post("/api/v1/queries", {
      data: { subject: `${word} ${subject}`, channel: "phone", priority: "urgent", received_at: received },
      headers: CSRF,
    });
    expect(created.status()).toBe(201);
    return created.json();
  };
  // On the 24x7 policy: first response in 30 minutes, due soon from 15.
  await create("later", 45);
  await create("earlier", 50);
  await create("soon", 20);

  await page.goto("/queries");
  const overdueView = page.locator("#view-overdue");
  await expect(overdueView).toContainText("Overdue");
  await overdueView.click();
  await expect(page).toHaveURL(/due=overdue/);
  await page.getByLabel("Search", { exact: true }).fill(word);
  await page.getByRole("button", { name: "Apply filters" }).click();
  const rows = page.locator("table tbody tr");
  await expect(rows).toHaveCount(2);
  // Soonest due first: the one received earlier was due earlier.
  await expect(rows.nth(0)).toContainText(`${word} earlier`);
  await expect(rows.nth(1)).toContainText(`${word} later`);
  await expect(rows.nth(0).locator(".app-due-tag")).toHaveText("Overdue");
  await expect(page.getByRole("columnheader", { name: /Due/ })).toHaveAttribute("aria-sort", "ascending");
  await expectNoViolations(page, "the Overdue view");

  await page.goto(`/queries?q=${word}&due=due_soon`);
  await expect(rows).toHaveCount(1);
  await expect(rows.nth(0)).toContainText(`${word} soon`);
  await expect(rows.nth(0).locator(".app-due-tag")).toHaveText("Due soon");
  await expectNoViolations(page, "a queue with a query due soon");
});

test("an administrator adds a policy by keyboard, previews it before saving, and changes it", async ({ page }) => {
  await signIn(page);
  await page.goto("/admin/service-levels");
  await page.getByRole("link", { name: "Add a policy" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Add a service-level policy" })).toBeVisible();
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByRole("alert")).toContainText("Enter a name for the policy");
  await expectNoViolations(page, "add a policy (error)");

  const name = `Planning appeals ${Date.now().toString(36)}`;
  await tabTo(page, page.getByLabel("Policy name"));
  await page.keyboard.type(name);
  await tabTo(page, page.getByLabel("Post", { exact: true }));
  await page.keyboard.press("Space");
  const firstResponse = page.getByRole("group", { name: "First response" });
  await tabTo(page, firstResponse.getByLabel("Counted in"));
  await firstResponse.getByLabel("Counted in").selectOption({ label: "Working hours" });
  await tabTo(page, firstResponse.getByLabel("How many"));
  await page.keyboard.type("8");
  await firstResponse.getByLabel("On the calendar").selectOption({ label: "Office hours, England and Wales" });
  const resolution = page.getByRole("group", { name: "Resolution" });
  await resolution.getByLabel("Counted in").selectOption({ label: "Working days" });
  await resolution.getByLabel("How many").fill("20");
  await resolution.getByLabel("On the calendar").selectOption({ label: "Office hours, England and Wales" });
  // The Thursday before Easter at 16:30: eight working hours run to Tuesday.
  for (const [label, value] of [["Day", "2"], ["Month", "4"], ["Year", "2026"], ["Time", "16:30"]]) {
    await page.getByRole("group", { name: "A query received" }).getByLabel(label, { exact: true }).fill(value);
  }
  await tabTo(page, page.getByRole("button", { name: "Work out the due times" }));
  await page.keyboard.press("Enter");
  await expect(page.locator("#policy-preview")).toContainText("A first response would be due on 7 April 2026 at 4:30pm");
  await expectNoViolations(page, "add a policy (a preview)");
  await tabTo(page, page.getByRole("button", { name: "Save policy" }));
  await page.keyboard.press("Enter");

  await expect(page).toHaveURL(/\/admin\/service-levels$/);
  await expect(page.getByRole("alert")).toContainText(`The policy ${name} has been added`);
  const row = page.locator("#policies tbody tr").filter({ hasText: name });
  await expect(row).toContainText("received by Post");
  await expect(row).toContainText("8 working hours");
  await row.getByRole("link", { name: `Change ${name}` }).click();
  await expect(page.getByLabel("Policy name")).toHaveValue(name);
  await page.getByRole("group", { name: "First response" }).getByLabel("How many").fill("4");
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByRole("alert")).toContainText(`The policy ${name} has been changed`);
  await expect(page.locator("#policies tbody tr").filter({ hasText: name })).toContainText("4 working hours");
  await expectNoViolations(page, "service levels (a policy added)");
});
