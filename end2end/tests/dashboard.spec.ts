import { test, expect } from '@playwright/test';
import { screenshots, signIn } from './helpers';

test('an organiser opens the Bury North dashboard from the league table', async ({ page }) => {
  await signIn(page, 'organiser');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole('link', { name: 'Bury North' }).click();
  await expect(page).toHaveURL(/\/dashboard\/seats\/E14000611$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bury North dashboard');
  await expect(page.locator('[data-stat="electorate"]')).toHaveText('67,000');
  // 21,660 (Conservative, 2019) × 67,000 ÷ 68,802, rounded down, + 1.
  await expect(page.locator('[data-stat="win-number"]')).toHaveText('21,093');
  for (const key of ['knocks', 'spoke', 'supporters', 'volunteers-active', 'sessions-run']) {
    await expect(page.locator(`[data-stat="${key}"]`)).toHaveText(/^[1-9][\d,]*$/);
  }
  await expect(page.locator('[data-stat="contact-rate"]')).toHaveText(/^\d+\.\d%$/);
  await expect(page.getByRole('img', { name: 'Wards shaded by contact rate' })).toBeVisible();
  await expect(page.locator('svg.map path')).toHaveCount(8);
  await expect(page.locator('table.areas').first().locator('tbody tr')).toHaveCount(8);
  await expect(page.getByRole('img', { name: 'Conversations per week' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Voting intention of electors spoken to' })).toBeVisible();
  await expect(page.locator('tr[data-party="lab"] td.total')).toHaveText(/^[1-9][\d,]*$/);
  // The demo's voters raised issues and asked for posters and postal votes.
  await expect(page.locator('tr[data-issue="cost_of_living"] [data-col="raised"]')).toHaveText(/^[1-9][\d,]*$/);
  await expect(page.locator('tr[data-follow-up="poster"] [data-col="open"]')).toHaveText(/^[1-9][\d,]*$/);
  await expect(page.locator('[data-stat="follow-ups-open"]')).toHaveText(/^[1-9][\d,]*$/);
  await screenshots(page, 'seat-dashboard', [360, 1280]);
});

test('regional staff sort the league table and export it as CSV', async ({ page }) => {
  await signIn(page, 'regional');
  await page.goto('/dashboard');
  const row = page.locator('tr[data-seat="E14000611"]');
  await expect(row.locator('[data-col="majority"]')).toHaveText('105');
  await expect(row.locator('[data-col="win-number"]')).toHaveText('21,093');
  await expect(row.locator('[data-col="contact"]')).toHaveText(/^\d+\.\d%$/);
  await page.getByRole('link', { name: 'Contact rate' }).click();
  await expect(page).toHaveURL(/\?sort=contact$/);
  await expect(page.locator('th[aria-sort="descending"]')).toContainText('Contact rate');
  const csv = await page.request.get('/dashboard/export/league.csv');
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(await csv.text()).toContain('E14000611,Bury North,North West,105,false,');
  await page.goto('/dashboard?sort=majority');
  await screenshots(page, 'regional-dashboard', [360, 1280]);
});

test('regional staff see the follow-ups as counts, with no way to the names', async ({ page }) => {
  await signIn(page, 'regional');
  await page.goto('/dashboard/seats/E14000611');
  await expect(page.locator('[data-stat="follow-ups-open"]')).toHaveText(/^[1-9][\d,]*$/);
  await expect(page.locator('tr[data-follow-up="poster"] [data-col="open"]')).toHaveText(/^[1-9][\d,]*$/);
  await expect(page.locator('a[href*="/follow-ups"]')).toHaveCount(0);
  const list = await page.goto('/dashboard/seats/E14000611/follow-ups?kind=poster');
  expect(list?.status()).toBe(403);
  const csv = await page.request.get('/dashboard/export/E14000611/follow-ups.csv');
  expect(csv.status()).toBe(403);
});

test('admin drills down from the league table into the seat', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto('/dashboard');
  await page.locator('tr[data-seat="E14000611"]').getByRole('link', { name: 'Bury North' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bury North dashboard');
});

test('a volunteer is refused the dashboards', async ({ page }) => {
  await signIn(page, 'volunteer');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' })).toHaveCount(0);
  for (const path of ['/dashboard', '/dashboard/seats/E14000611']) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'Not available to you' })).toBeVisible();
  }
  const csv = await page.request.get('/dashboard/export/league.csv');
  expect(csv.status()).toBe(403);
});
