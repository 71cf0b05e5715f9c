import { test, expect } from '@playwright/test';
import { signIn, hydrated } from './helpers';

test('an admin finds a seat in the catalogue, adds it as a target and sees its checklist', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, 'admin');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Seat catalogue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Seat catalogue' })).toBeVisible();
  await hydrated(page);

  // Most winnable first: the demo seat's majority of 105 heads the list, already held.
  const rows = page.locator('table.catalogue tbody tr');
  await expect(rows.first()).toHaveAttribute('data-gss', 'E14000611');
  await expect(rows.first().getByText('In campaign')).toBeVisible();
  await expect(page.getByText('632 of 632 seats')).toBeVisible();
  await page.screenshot({ path: '../docs/seat-catalogue.png' });

  // Search, then add Bolton North East in a region of our own.
  await page.getByLabel('Seat name or code').fill('Bolton');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('3 of 632 seats')).toBeVisible();
  await hydrated(page);
  const bolton = page.locator('tr[data-gss="E14000578"]');
  await expect(bolton).toContainText('Conservative');
  await bolton.getByLabel('Region for Bolton North East').fill('Greater Manchester');
  await bolton.getByRole('button', { name: 'Add as target' }).click();
  await expect(bolton.getByText('In campaign')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'E14000578 is in the campaign' })).toBeVisible();

  // It is now one of the campaign's seats, with its results and what it still needs.
  await page.goto('/seats');
  await page.getByRole('link', { name: 'Bolton North East' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bolton North East' })).toBeVisible();
  await expect(page.getByText('Greater Manchester · E14000578')).toBeVisible();
  await expect(page.locator('tr[data-year="2019"]')).toContainText('378');
  const checklist = page.getByRole('region', { name: 'Getting the seat ready' });
  await expect(checklist).toContainText('4 of 4 steps still to do.');
  await expect(checklist.getByRole('link', { name: 'Import the register' })).toHaveAttribute(
    'href',
    '/seats/E14000578/register',
  );
  await expect(checklist.getByRole('link', { name: 'Invite an organiser' })).toHaveAttribute('href', '/people');
});

test('an organiser is refused the seat catalogue', async ({ page }) => {
  await signIn(page, 'organiser');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Seat catalogue' })).toHaveCount(0);
  const response = await page.goto('/admin/seats');
  expect(response?.status()).toBe(403);
  await expect(page.locator('table.catalogue')).toHaveCount(0);
});
