import { test, expect } from '@playwright/test';
import { signIn } from './helpers';
import { DEMO_PASSWORD } from '../playwright.config';

const navFor = {
  admin: { badge: 'Admin', links: ['Home', 'Seats', 'Seat catalogue', 'Dashboard', 'People', 'Settings', 'Audit log'] },
  regional: { badge: 'Regional staff', links: ['Home', "Region's seats", 'Dashboard'] },
  organiser: { badge: 'Organiser', links: ['Home', 'My seats', 'Dashboard', 'People', 'Audit log'] },
  volunteer: { badge: 'Volunteer', links: ['My walk lists', 'Sessions'] },
} as const;

for (const [role, expected] of Object.entries(navFor)) {
  test(`${role} signs in and sees their own navigation`, async ({ page }) => {
    await signIn(page, role as keyof typeof navFor);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('list').getByRole('link')).toHaveText([...expected.links]);
    await expect(nav.locator('a[href="/account"]')).toBeVisible();
    await expect(nav.getByText(expected.badge, { exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  });
}

test('the seat overview shows Bury North with its 2015 majority of 378', async ({ page }) => {
  await signIn(page, 'organiser');
  await page.getByRole('link', { name: 'Bury North' }).click();
  await expect(page).toHaveURL(/\/seats\/E14000611$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bury North');
  const row2015 = page.locator('tr[data-year="2015"]');
  await expect(row2015.locator('td.majority')).toHaveText('378');
  await expect(page.locator('tr[data-year="2019"] td.majority')).toHaveText('105');
  const electors = page.locator('.stat', { hasText: 'Electors' }).locator('.stat-n');
  await expect(electors).toHaveText('67,000');
  for (const size of [{ width: 360, height: 780 }, { width: 1280, height: 900 }]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `test-results/seat-overview-${size.width}.png`, fullPage: true });
  }
});

test('a wrong password shows a clear message and no account details', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('organiser@demo.groundwork.example');
  await page.getByLabel('Password').fill('not-' + DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText(/do not match an active account/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a volunteer can sign in with the plain form and see their walk lists', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
    await page.getByLabel('Email').fill('volunteer@demo.groundwork.example');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Your walk lists' })).toBeVisible();
    await expect(page.locator('.walk-list').first()).toContainText('doors');
    await page.setViewportSize({ width: 360, height: 780 });
    await page.screenshot({ path: 'test-results/volunteer-home-360.png', fullPage: true });
  });
});

test('an organiser searches the audit log', async ({ page }) => {
  await signIn(page, 'organiser');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit log');
  await page.getByLabel('Action').selectOption('sign_in');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/action=sign_in/);
  await expect(page.getByRole('table')).toContainText('organiser@demo.groundwork.example');
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: `test-results/audit-${width}.png`, fullPage: true });
  }
});
