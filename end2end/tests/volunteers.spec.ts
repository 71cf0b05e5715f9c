import { test, expect, Page } from '@playwright/test';
import { hydrated, signIn } from './helpers';

const SEAT = 'E14000611';
const TITLE = 'Tuesday evening canvass (e2e)';
const SHOTS = process.env.SHOTS_DIR ?? 'test-results';

/** A date ten days from now, as a date input takes it. */
function inTenDays(): string {
  const d = new Date(Date.now() + 10 * 24 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

async function shoot(page: Page, name: string) {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
}

test.describe.configure({ mode: 'serial' });

test('an organiser plans a session', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, 'organiser');
  await page.goto(`/seats/${SEAT}/sessions`);
  await hydrated(page);
  await page.getByLabel('Title').fill(TITLE);
  await page.getByLabel('Date').fill(inTenDays());
  await page.getByLabel('Starts (UK time)').fill('18:00');
  await page.getByLabel('Ends').fill('20:30');
  await page.getByLabel('Meeting point').fill('Ramsbottom Civic Hall, Market Place');
  await page.getByLabel('Latitude').fill('53.6478');
  await page.getByLabel('Longitude').fill('-2.3166');
  await page.getByLabel('Places').fill('12');
  await page.getByRole('button', { name: 'Create session' }).click();
  await expect(page).toHaveURL(/\/sessions\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(TITLE);
  await expect(page.getByText('18:00–20:30')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Add to calendar (.ics)' })).toBeVisible();
});

test('a volunteer signs up for a session on a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'volunteer');
  await page.getByRole('link', { name: 'Sessions', exact: true }).click();
  await expect(page).toHaveURL(/\/sessions$/);
  await hydrated(page);
  const card = page.locator('li.session', { hasText: TITLE });
  await expect(card).toBeVisible();
  await expect(card).toContainText('12 places left');
  await card.getByRole('button', { name: 'Sign up' }).click();
  await expect(card.getByText('✓ You are signed up')).toBeVisible();
  await expect(card).toContainText('11 places left');
  await page.screenshot({ path: `${SHOTS}/sessions-volunteer-390.png`, fullPage: true });
  // Still signed up after a reload: it is stored, not just shown.
  await page.reload();
  await expect(page.locator('li.session', { hasText: TITLE }).getByText('✓ You are signed up')).toBeVisible();
});

test('the organiser sees who signed up and records attendance at a past session', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, 'organiser');
  // The new session lists the volunteer who signed up.
  await page.goto(`/seats/${SEAT}/sessions`);
  await page.getByRole('link', { name: TITLE }).click();
  await hydrated(page);
  await expect(page.getByRole('list', { name: 'Signed up' })).toContainText('Val Volunteer');
  await shoot(page, 'session-upcoming');

  // A past session: record that the first volunteer came, for two and a half hours.
  await page.goto(`/seats/${SEAT}/sessions`);
  const past = page.getByRole('table', { name: 'Past sessions, latest first' });
  await past.getByRole('link').first().click();
  await hydrated(page);
  const first = page.getByRole('list', { name: 'Signed up' }).locator('li').first();
  const name = (await first.locator('a').first().textContent()) ?? '';
  await first.getByRole('checkbox', { name: 'Came' }).check();
  await first.getByLabel('Hours').fill('2.5');
  await first.getByRole('button', { name: 'Save' }).click();
  const row = page.getByRole('list', { name: 'Signed up' }).locator('li', { hasText: name });
  await expect(row).toContainText('✓ came, 2.5 h');
  await page.reload();
  await expect(page.getByRole('list', { name: 'Signed up' }).locator('li', { hasText: name })).toContainText('✓ came, 2.5 h');
  await shoot(page, 'session-past');

  await page.goto(`/seats/${SEAT}/volunteers`);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Volunteers', level: 1 })).toBeVisible();
  await shoot(page, 'volunteers-list');
  await page.getByRole('link', { name: /Gone quiet/ }).click();
  await expect(page).toHaveURL(/show=quiet/);
  await page.goto(`/seats/${SEAT}/volunteers`);
  await page.locator('table.volunteers tbody a').first().click();
  await expect(page).toHaveURL(/\/volunteers\/\d+$/);
  await shoot(page, 'volunteer-page');
});
