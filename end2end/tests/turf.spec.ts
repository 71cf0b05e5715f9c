import { test, expect } from '@playwright/test';
import { accounts, hydrated, signIn } from './helpers';

const SEAT = 'E14000611';

test.use({ viewport: { width: 1280, height: 900 } });

test('an organiser draws an area on the map, cuts walk lists, assigns one and prints its sheet', async ({ page }) => {
  const outside: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1')) outside.push(r.url());
  });
  const cspErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused/.test(m.text())) cspErrors.push(m.text());
  });
  await signIn(page, 'organiser');
  await page.goto(`/seats/${SEAT}/map`);
  await hydrated(page);
  await page.locator('#turf-map[data-ready="true"]').waitFor({ timeout: 30_000 });
  await expect(page.locator('#turf-map-status')).toContainText('doors');
  await expect(page.getByRole('list', { name: 'What the colours mean' })).toContainText('Not yet contacted');
  // The README's screenshot: refreshed with UPDATE_DOCS=1, so a test run leaves the tree clean.
  await page.screenshot({ path: process.env.UPDATE_DOCS ? '../docs/map.png' : 'test-results/turf-map-1280.png' });

  // Draw a polygon with Geoman: click the corners, then the first corner again.
  await page.locator('.leaflet-pm-icon-polygon').click();
  const box = await page.locator('#turf-map').boundingBox();
  if (!box) throw new Error('no map');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const corners = [
    [cx - 90, cy - 70],
    [cx + 90, cy - 70],
    [cx + 90, cy + 70],
    [cx - 90, cy + 70],
  ];
  for (const [x, y] of corners) {
    await page.mouse.click(x, y);
  }
  await page.mouse.click(corners[0][0], corners[0][1]);
  await expect(page.locator('#turf-polygon-status')).toContainText('Area drawn: 4 corners');
  await page.screenshot({ path: 'test-results/turf-drawn-1280.png' });

  await page.getByRole('button', { name: 'Count the doors' }).click();
  const preview = page.locator('[data-preview-doors]');
  await expect(preview).toBeVisible();
  const doors = Number(await preview.getAttribute('data-preview-doors'));
  expect(doors).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Cut walk lists' }).click();
  const cut = page.locator('[data-cut-lists]');
  // Cutting a seat's lists takes a few seconds on a busy machine.
  await expect(cut).toBeVisible({ timeout: 20_000 });
  expect(Number(await cut.getAttribute('data-cut-lists'))).toBeGreaterThan(0);

  // Once the table shows the new lists, assign the newest to the demo volunteer and a session.
  const last = await cut.getAttribute('data-last-list');
  await expect(page.locator(`.lists-table [data-list="${last}"]`)).toBeVisible();
  await page.locator('select[name="walk_list"]').selectOption(last!);
  await page.getByLabel('Canvass session').selectOption({ index: 2 });
  // One select adds volunteers one at a time (no box per volunteer).
  const pick = page.getByLabel('Add a volunteer');
  const option = pick.locator('option', { hasText: accounts.volunteer });
  await pick.selectOption((await option.getAttribute('value'))!);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('list', { name: 'Volunteers to give the list to' })).toContainText('Val Volunteer');
  await page.getByRole('button', { name: 'Assign', exact: true }).click();
  await expect(page.getByText('The list is assigned.')).toBeVisible();
  const firstRow = page.locator(`.lists-table [data-list="${last}"]`);
  // Its row now names a session and a volunteer.
  await expect(firstRow.locator('[data-session]')).not.toHaveText('No session');
  await expect(firstRow.locator('[data-volunteers]')).toHaveText('Val Volunteer');

  // The printed sheet renders, with its code and QR, and in print media.
  const href = await firstRow.getByRole('link', { name: 'Print sheet' }).getAttribute('href');
  await page.goto(href!);
  await expect(page.locator('.walk-sheet h1')).toBeVisible();
  await expect(page.locator('.sheet-qr svg')).toBeVisible();
  await expect(page.locator('.sheet-door').first()).toBeVisible();
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.topbar')).toBeHidden();
  await page.screenshot({ path: 'test-results/turf-sheet-print.png', fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  // Paper returns for that sheet open from its code.
  const code = await page.locator('.sheet-code').textContent();
  await page.goto(`/returns/${code}`);
  await expect(page.getByRole('button', { name: 'Save the returns' })).toBeVisible();

  expect(outside, 'nothing is fetched from outside').toEqual([]);
  expect(cspErrors, 'no script refused by the CSP').toEqual([]);
});

test('an organiser picks a ward instead of drawing, and the phone layout holds', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'organiser');
  await page.goto(`/seats/${SEAT}/map`);
  await hydrated(page);
  await page.locator('#turf-map[data-ready="true"]').waitFor({ timeout: 30_000 });
  await page.getByRole('checkbox', { name: 'Ramsbottom', exact: true }).check();
  await page.getByRole('button', { name: 'Count the doors' }).click();
  await expect(page.locator('[data-preview-doors]')).toBeVisible();
  await page.screenshot({ path: 'test-results/turf-390.png', fullPage: false });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

// fixme: on the paged lists the Unassign click never lands (Playwright waits on "scrolling into view");
// the unassign and close rules are covered by tests/integration/access.rs.
test.fixme('an organiser unassigns a list and closes it from the lists table', async ({ page }) => {
  await signIn(page, 'organiser');
  // Open lists that someone has (the newest lists are the ones the first test cut).
  await page.goto(`/seats/${SEAT}/map?status=active&assigned=yes`);
  await hydrated(page);
  // A list someone other than the demo volunteer has (the doorstep tests walk theirs).
  const row = page.locator('.lists-table li:has(button[data-unassign]):not(:has-text("Val Volunteer"))').first();
  const id = await row.getAttribute('data-list');
  // Unassigned, then closed, it leaves that filter: follow it on the unfiltered pages.
  for (let p = 1; p <= 30; p++) {
    await page.goto(`/seats/${SEAT}/map?page=${p}`);
    if (await page.locator(`.lists-table [data-list="${id}"]`).count()) break;
  }
  await hydrated(page);
  const listRow = page.locator(`.lists-table [data-list="${id}"]`);
  await listRow.getByRole('button', { name: 'Unassign' }).click();
  await expect(page.getByText('The list is unassigned: its volunteers no longer see it.')).toBeVisible();
  await expect(listRow.getByRole('button', { name: 'Unassign' })).toHaveCount(0);
  await expect(listRow.locator('[data-volunteers]')).toHaveText('Not assigned');
  await listRow.getByRole('button', { name: 'Close the list' }).click();
  await expect(page.getByText('The list is closed: nobody can record on it now.')).toBeVisible();
  await expect(listRow.locator('.badge')).toHaveText('closed');
  await expect(listRow.getByRole('button', { name: 'Close the list' })).toHaveCount(0);
});
