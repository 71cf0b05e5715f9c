import { test, expect } from '@playwright/test';
import { hydrated, screenshots, signIn } from './helpers';

test('an organiser answers a subject access request and downloads the JSON copy', async ({ page }) => {
  await signIn(page, 'organiser');
  await page.goto('/seats/E14000611/electors');
  await hydrated(page);
  await page.getByLabel('Name, elector number or postcode').fill('an');
  await page.getByRole('button', { name: 'Search' }).click();
  const first = page.locator('table.data tbody tr').first().getByRole('link');
  const name = (await first.textContent())!.trim();
  await first.click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name.split(' ').pop()!);
  await expect(page.getByRole('heading', { name: 'On the electoral register' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Who has seen or changed this record' })).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download as JSON' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^elector-\d+-subject-access\.json$/);
  await screenshots(page, 'subject-access');
});

test('an admin invites a volunteer, who sets a password and is signed in', async ({ page, browser }) => {
  await signIn(page, 'admin');
  await page.goto('/people');
  await hydrated(page);
  await page.getByLabel('Name').fill('Vera Newcomer');
  await page.getByLabel('Email').fill(`vera.${Date.now()}@example.org`);
  const invite = page.getByRole('region', { name: 'Invite someone' });
  await invite.getByLabel('Role').selectOption('volunteer');
  await invite.getByLabel('Patch').selectOption({ label: 'Seat: Bury North' });
  await page.getByRole('button', { name: 'Make invitation' }).click();
  const link = page.getByRole('status').getByRole('link');
  await expect(link).toBeVisible();
  const href = (await link.getAttribute('href'))!;
  await screenshots(page, 'people');

  const newcomer = await (await browser.newContext()).newPage();
  await newcomer.goto(href);
  await hydrated(newcomer);
  await expect(newcomer.getByRole('heading', { level: 1 })).toHaveText('Welcome, Vera Newcomer');
  await newcomer.getByLabel('Choose a password').fill('vera-password-1');
  await newcomer.getByLabel('The same password again').fill('vera-password-1');
  await newcomer.getByRole('button', { name: 'Make my account' }).click();
  await expect(newcomer.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(newcomer.getByRole('link', { name: 'Vera Newcomer' })).toBeVisible();
});
