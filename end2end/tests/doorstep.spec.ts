import { test, expect, Page, request as apiRequest } from '@playwright/test';
import { accounts, signIn } from './helpers';
import { DEMO_PASSWORD } from '../playwright.config';

// A phone: the doorstep pages are built for one hand at 390 × 844.
test.use({ viewport: { width: 390, height: 844 } });

const DOORS = 20;

/** Opens the volunteer's nth walk list (from 0); returns its doors (paths) in walk order. */
async function openList(page: Page, n: number): Promise<string[]> {
  await page.getByRole('heading', { name: 'Your walk lists' }).waitFor();
  await page.locator('.walk-list h3 a').nth(n).click();
  await expect(page).toHaveURL(/\/walk\/\d+$/);
  const doors = page.getByRole('list', { name: 'Doors in walk order' }).locator('li a');
  await expect(doors.first()).toBeVisible();
  return doors.evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
}

async function knocked(page: Page): Promise<number> {
  return Number(await page.locator('[data-stat="knocked"]').textContent());
}

/**
 * The conversations the server has stored on a list, read from the server by a client of
 * its own (Node, signed in separately), never through the browser (which may be offline).
 */
async function storedOnServer(baseURL: string, listPath: string): Promise<number> {
  const api = await apiRequest.newContext({ baseURL });
  try {
    const login = await api.post('/api/login', {
      form: { email: accounts.volunteer, password: DEMO_PASSWORD },
      headers: { accept: 'application/json' },
    });
    expect(login.ok()).toBeTruthy();
    const html = await (await api.get(listPath)).text();
    const found = html.match(/data-stat="entries">(\d+)</);
    return found ? Number(found[1]) : -1;
  } finally {
    await api.dispose();
  }
}

const door = (path: string) => new RegExp(`${path}$`);

test('a volunteer records twenty doors in walk order on a phone', async ({ page, baseURL }) => {
  await signIn(page, 'volunteer');
  const doors = await openList(page, 0);
  expect(doors.length).toBeGreaterThanOrEqual(DOORS + 1);
  const listPath = new URL(page.url()).pathname;
  expect(await knocked(page)).toBe(0);
  await expect(page.getByRole('img', { name: 'Map of the doors in walk order' })).toBeVisible();
  await page.screenshot({ path: 'test-results/doorstep-list-390.png', fullPage: true });
  await page.screenshot({ path: 'test-results/doorstep-list-top-390.png' });

  await page.getByRole('link', { name: /^Next door/ }).click();
  for (let i = 0; i < DOORS; i++) {
    await expect(page).toHaveURL(door(doors[i]));
    await expect(page.getByText(`Door ${i + 1} of ${doors.length}`)).toBeVisible();
    if (i === 0) {
      await page.screenshot({ path: 'test-results/doorstep-door-390.png', fullPage: true });
      await page.screenshot({ path: 'test-results/doorstep-door-top-390.png' });
    }
    if (i === 1) {
      // Someone answered: who, how they will vote (three taps), and what they raised.
      await page.getByRole('group', { name: 'Who answered' }).getByRole('radio').first().check();
      await page.getByLabel('Labour').check();
      await page.getByRole('group', { name: /How firm/ }).getByLabel('4').check();
      // The rarer fields are folded away, to keep the form short on a phone.
      await page.getByText('Issues, survey and notes').click();
      await page.getByRole('group', { name: 'Issues raised' }).getByLabel('NHS').check();
      await page.getByLabel('Wants a poster').check();
      await page.getByLabel('Notes').fill('Worried about the bus route');
      await page.getByRole('button', { name: 'Save: spoke' }).click();
    } else if (i === 2) {
      await page.getByLabel('Do not knock again').check();
      await page.getByRole('button', { name: 'Refused', exact: true }).click();
    } else {
      await page.getByRole('button', { name: 'Not in', exact: true }).click();
    }
  }
  await expect(page).toHaveURL(door(doors[DOORS]));
  await page.goto(listPath);
  await expect(page.locator('[data-stat="knocked"]')).toHaveText(String(DOORS));
  const rows = page.getByRole('list', { name: 'Doors in walk order' }).locator('li');
  await expect(rows.nth(0)).toContainText('✓ Not in');
  await expect(rows.nth(1)).toContainText('✓ Spoke');
  await expect(rows.nth(2)).toContainText('Do not knock');
  await expect(rows.nth(DOORS)).toContainText('○ Not yet');
  expect(await storedOnServer(baseURL!, listPath)).toBe(DOORS);
  await page.screenshot({ path: 'test-results/doorstep-list-after-390.png', fullPage: true });
});

test.describe('offline', () => {
  // The service worker is blocked everywhere else (see playwright.config.ts).
  test.use({ serviceWorkers: 'allow' });

  test('doors recorded with no signal are queued on the phone and sent once when it returns', async ({ page, context, baseURL }) => {
    await signIn(page, 'volunteer');
    const doors = await openList(page, 1);
    const listPath = new URL(page.url()).pathname;
    expect(await knocked(page)).toBe(0);
    // The worker controls the page and has kept the list and every door on the phone.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    await expect(page.locator('[data-offline-ready]')).toContainText(`(${doors.length + 1} of ${doors.length + 1} pages)`, { timeout: 30_000 });

    const offlineFrom = 8;
    const outbox = page.locator('[data-outbox]');
    await page.getByRole('link', { name: /^Next door/ }).click();
    for (let i = 0; i < DOORS; i++) {
      await expect(page).toHaveURL(door(doors[i]));
      await expect(page.getByText(`Door ${i + 1} of ${doors.length}`)).toBeVisible();
      // The signal goes once this door's page is open (the last entry has been sent).
      if (i === offlineFrom) await context.setOffline(true);
      if (i > offlineFrom) await expect(outbox).toHaveText(`${i - offlineFrom} waiting to send`);
      if (i === offlineFrom + 3) {
        await page.screenshot({ path: 'test-results/doorstep-door-offline-390.png', fullPage: true });
        await page.screenshot({ path: 'test-results/doorstep-door-offline-top-390.png' });
      }
      await page.getByRole('button', { name: 'Not in', exact: true }).click();
    }
    await expect(page).toHaveURL(door(doors[DOORS]));
    await expect(outbox).toHaveText(`${DOORS - offlineFrom} waiting to send`);

    // Still offline: the list (from the phone) shows every door recorded, and the server
    // has only what was sent before the signal went.
    await page.goto(listPath);
    await expect(page.locator('[data-stat="knocked"]')).toHaveText(String(DOORS));
    // Its look came from the phone too: every style sheet the page links has its rules.
    const sheets = await page.evaluate(() => [...document.styleSheets]
      .filter((s) => s.href).map((s) => [new URL(s.href!).pathname, s.cssRules.length] as [string, number]));
    expect(sheets.map(([path]) => path)).toEqual(['/pkg/groundwork.css', '/css/doorstep.css', '/css/turf.css', '/css/polling.css']);
    for (const [path, rules] of sheets) expect(rules, path).toBeGreaterThan(10);
    await expect(outbox).toHaveText(`${DOORS - offlineFrom} waiting to send`);
    const rows = page.getByRole('list', { name: 'Doors in walk order' }).locator('li');
    await expect(rows.nth(DOORS - 1)).toContainText('✓ Not in');
    await expect(rows.nth(DOORS)).toContainText('○ Not yet');
    await page.screenshot({ path: 'test-results/doorstep-list-offline-390.png', fullPage: true });
    await page.screenshot({ path: 'test-results/doorstep-list-offline-top-390.png' });
    expect(await storedOnServer(baseURL!, listPath)).toBe(offlineFrom);

    // Back online: the outbox empties, and the server has each entry exactly once.
    await context.setOffline(false);
    await expect(outbox).toHaveText('', { timeout: 30_000 });
    await expect.poll(() => storedOnServer(baseURL!, listPath)).toBe(DOORS);
    await page.reload();
    await expect(page.locator('[data-stat="knocked"]')).toHaveText(String(DOORS));
    await expect(page.locator('[data-stat="entries"]')).toHaveText(String(DOORS));
    expect(await storedOnServer(baseURL!, listPath)).toBe(DOORS);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a volunteer records a door with plain HTML forms', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(accounts.volunteer);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const doors = await openList(page, 0);
    const listUrl = page.url();
    const before = await knocked(page);
    await page.getByRole('link', { name: /^Next door/ }).click();
    await expect(page).toHaveURL(door(doors[before]));
    await page.getByRole('group', { name: 'Follow-ups' }).getByLabel('Call back').check();
    await page.getByRole('button', { name: 'Refused', exact: true }).click();
    await expect(page).toHaveURL(door(doors[before + 1]));
    await page.goto(listUrl);
    await expect(page.locator('[data-stat="knocked"]')).toHaveText(String(before + 1));
    await expect(page.getByRole('list', { name: 'Doors in walk order' }).locator('li').nth(before)).toContainText('✓ Refused');
  });
});
