// Business calendars (issue 15): an administrator sees the calendars and the bank holidays in
// force, and works out a due time by keyboard alone, England and Scotland differing at Easter.
import { test, expect, expectNoViolations, signIn, tabTo } from "./fixtures";

test("an administrator works out due times on UK calendars by keyboard", async ({ page }) => {
  await signIn(page);
  await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Administration" }).click();
  await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Calendars" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Calendars" })).toBeVisible();
  const calendars = page.locator("#calendars");
  await expect(calendars.getByRole("row", { name: /^24 hours, every day/ })).toContainText("Every minute of every day");
  await expect(calendars.getByRole("row", { name: /^Office hours, Scotland/ })).toContainText("Monday to Friday 09:00 to 17:00");
  await expect(page.locator("#bank-holidays").getByRole("row", { name: /^Northern Ireland/ })).toContainText("2028");
  await expectNoViolations(page, "calendars");

  // Thursday 2 April 2026 at 16:30, 480 working minutes (the defaults), on England's office hours.
  const calendar = page.getByLabel("Calendar", { exact: true });
  await tabTo(page, calendar);
  await page.keyboard.press("ArrowDown");
  await expect(calendar).toHaveValue("00000000-0000-7000-8000-000000000002");
  for (const [label, value] of [["Day", "2"], ["Month", "4"], ["Year", "2026"], ["Time", "16:30"]]) {
    await tabTo(page, page.getByRole("group", { name: "Received" }).getByLabel(label, { exact: true }));
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type(value);
  }
  await page.keyboard.press("Enter");
  await expect(page.locator("#due-preview")).toHaveText("It would be due on 7 April 2026 at 4:30pm.");

  // Scotland works Easter Monday.
  await tabTo(page, calendar, true);
  await page.keyboard.press("ArrowDown");
  await tabTo(page, page.getByRole("button", { name: "Work out the due time" }));
  await page.keyboard.press("Enter");
  await expect(page.locator("#due-preview")).toHaveText("It would be due on 6 April 2026 at 4:30pm.");
  await expectNoViolations(page, "calendars (a due time)");

  // A missing amount is an error, said at once.
  await tabTo(page, page.getByLabel("How many"), true);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Enter");
  await expect(page.locator(".govuk-error-summary")).toContainText("Enter a whole number from 1 to 100,000");
  await expectNoViolations(page, "calendars (error)");
});
