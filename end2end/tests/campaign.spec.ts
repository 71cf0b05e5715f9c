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

test('an admin sets up a campaign through the screens: seats, an organiser, a setting', async ({ page, browser }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, 'admin');

  // Two more target seats from the shipped open data.
  for (const [name, gss] of [
    ['Bury South', 'E14000612'],
    ['Stretford and Urmston', 'E14000979'],
  ]) {
    await page.goto(`/admin/seats?q=${encodeURIComponent(name)}`);
    await hydrated(page);
    const row = page.locator(`tr[data-gss="${gss}"]`);
    await row.getByRole('button', { name: 'Add as target' }).click();
    await expect(row.getByText('In campaign')).toBeVisible();
  }
  // Each came with its wards.
  await page.goto('/seats/E14000979');
  await expect(page.getByRole('region', { name: 'Wards' })).toContainText('Stretford');

  // An organiser for Bury South only.
  await page.goto('/people');
  await hydrated(page);
  await page.getByLabel('Name').fill('Orla Organiser');
  await page.getByLabel('Email').fill(`orla.${Date.now()}@example.org`);
  const invite = page.getByRole('region', { name: 'Invite someone' });
  await invite.getByLabel('Role').selectOption('organiser');
  await invite.getByLabel('Patch').selectOption({ label: 'Seat: Bury South' });
  await page.getByRole('button', { name: 'Make invitation' }).click();
  const link = page.getByRole('status').getByRole('link');
  await expect(link).toBeVisible();
  const href = (await link.getAttribute('href'))!;

  // A setting: one more issue for volunteers to tick.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Campaign settings' })).toBeVisible();
  await hydrated(page);
  const issues = page.getByLabel('Issues voters raise');
  await issues.fill(`${await issues.inputValue()}\npotholes = Potholes`);
  const doorstep = page.getByRole('region', { name: 'On the doorstep' });
  await doorstep.getByRole('button', { name: 'Save on the doorstep' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved 1 change.');
  await expect(page.getByLabel('Issues voters raise')).toHaveValue(/potholes = Potholes$/);
  await page.getByRole('heading', { level: 1, name: 'Campaign settings' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: '../docs/campaign-settings.png', fullPage: false });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/settings-390.png', fullPage: true });

  // The organiser accepts and sees their seat only.
  const orla = await (await browser.newContext()).newPage();
  await orla.goto(href);
  await hydrated(orla);
  await orla.getByLabel('Choose a password').fill('orla-password-1');
  await orla.getByLabel('The same password again').fill('orla-password-1');
  await orla.getByRole('button', { name: 'Make my account' }).click();
  await expect(orla.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await orla.goto('/seats');
  await expect(orla.getByRole('link', { name: 'Bury South' })).toBeVisible();
  await expect(orla.locator('main a[href^="/seats/E14"]')).toHaveCount(1);
  expect((await orla.goto('/settings'))?.status()).toBe(403);

  // A volunteer's door form offers the new issue.
  const volunteer = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(volunteer, 'volunteer');
  await volunteer.locator('.walk-list h3 a').first().click();
  await volunteer.getByRole('link', { name: /^Next door/ }).click();
  // Issues are folded away on the door form until asked for.
  await volunteer.getByText('Issues, survey and notes').click();
  await expect(volunteer.getByRole('group', { name: 'Issues raised' }).getByLabel('Potholes')).toBeVisible();
});
