import { test, expect, Page } from '@playwright/test';
import { accounts, hydrated, signIn } from './helpers';
import { DEMO_PASSWORD } from '../playwright.config';

// A phone: the doorstep pages are built for one hand at 390 × 844.
test.use({ viewport: { width: 390, height: 844 } });

/** Opens the volunteer's first walk list; returns its doors (links) in walk order. */
async function openFirstList(page: Page): Promise<string[]> {
  await page.getByRole('heading', { name: 'Your walk lists' }).waitFor();
  await page.locator('.walk-list h3 a').first().click();
  await expect(page).toHaveURL(/\/walk\/\d+$/);
  const doors = page.getByRole('list', { name: 'Doors in walk order' }).locator('li a');
  await expect(doors.first()).toBeVisible();
  return doors.evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
}

async function knocked(page: Page): Promise<number> {
  return Number(await page.locator('[data-stat="knocked"]').textContent());
}

test('a volunteer records five doors in walk order on a phone', async ({ page }) => {
  await signIn(page, 'volunteer');
  const doors = await openFirstList(page);
  const listUrl = page.url();
  expect(await knocked(page)).toBe(0);
  await page.screenshot({ path: 'test-results/doorstep-list-390.png', fullPage: true });

  await page.getByRole('link', { name: /^Next door/ }).click();
  for (let i = 0; i < 5; i++) {
    await expect(page).toHaveURL(new RegExp(`${doors[i]}$`));
    await hydrated(page);
    await expect(page.getByText(`Door ${i + 1} of ${doors.length}`)).toBeVisible();
    if (i === 0) {
      await page.screenshot({ path: 'test-results/doorstep-door-390.png', fullPage: true });
    }
    if (i === 1) {
      // Someone answered: who, how they will vote, how firmly, in a few taps.
      await page.getByRole('group', { name: 'Who answered' }).getByRole('radio').first().check();
      await page.getByLabel('Labour').check();
      await page.getByRole('group', { name: /How firm/ }).getByLabel('4').check();
      await page.getByLabel('Notes').fill('Worried about the bus route');
      await page.getByRole('button', { name: 'Save: spoke' }).click();
    } else {
      await page.getByRole('button', { name: 'Not in', exact: true }).click();
    }
  }
  await expect(page).toHaveURL(new RegExp(`${doors[5]}$`));
  await page.goto(listUrl);
  await expect(page.locator('[data-stat="knocked"]')).toHaveText('5');
  const rows = page.getByRole('list', { name: 'Doors in walk order' }).locator('li');
  await expect(rows.nth(0)).toContainText('✓ Not in');
  await expect(rows.nth(1)).toContainText('✓ Spoke');
  await expect(rows.nth(5)).toContainText('○ Not yet');
  await page.screenshot({ path: 'test-results/doorstep-list-after-390.png', fullPage: true });
  await page.screenshot({ path: 'test-results/doorstep-list-top-390.png' });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a volunteer records a door with plain HTML forms', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(accounts.volunteer);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const doors = await openFirstList(page);
    const listUrl = page.url();
    const before = await knocked(page);
    await page.getByRole('link', { name: /^Next door/ }).click();
    await expect(page).toHaveURL(new RegExp(`${doors[before]}$`));
    await page.getByRole('button', { name: 'Refused', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${doors[before + 1]}$`));
    await page.goto(listUrl);
    await expect(page.locator('[data-stat="knocked"]')).toHaveText(String(before + 1));
    await expect(page.getByRole('list', { name: 'Doors in walk order' }).locator('li').nth(before)).toContainText('✓ Refused');
  });
});
