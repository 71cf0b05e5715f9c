import { test, expect, Page, request as apiRequest } from '@playwright/test';
import { accounts, signIn } from './helpers';
import { DEMO_PASSWORD } from '../playwright.config';

// A phone whose session ends, a phone shared by two canvassers, and a phone with no signal.
test.use({ viewport: { width: 390, height: 844 } });

/** A client of the test's own (Node), signed in as the volunteer, never the phone. */
async function asVolunteer<T>(baseURL: string, work: (api: Awaited<ReturnType<typeof apiRequest.newContext>>) => Promise<T>): Promise<T> {
  const api = await apiRequest.newContext({ baseURL });
  try {
    const login = await api.post('/api/login', {
      form: { email: accounts.volunteer, password: DEMO_PASSWORD },
      headers: { accept: 'application/json' },
    });
    expect(login.ok()).toBeTruthy();
    return await work(api);
  } finally {
    await api.dispose();
  }
}

/** The entries the server has stored for a list, as its page says. */
const storedOnServer = (baseURL: string, listPath: string) =>
  asVolunteer(baseURL, async (api) => {
    const found = (await (await api.get(listPath)).text()).match(/data-stat="entries">(\d+)</);
    return found ? Number(found[1]) : -1;
  });

/** How many entries the phone's outbox holds (IndexedDB, read in the page). */
const outboxSize = (page: Page) =>
  page.evaluate(() => new Promise<number>((resolve, reject) => {
    const r = indexedDB.open('groundwork', 1);
    r.onsuccess = () => {
      const q = r.result.transaction('outbox', 'readonly').objectStore('outbox').count();
      q.onsuccess = () => resolve(q.result);
      q.onerror = () => reject(q.error);
    };
    r.onerror = () => reject(r.error);
  }));

/** Opens the volunteer's last walk list; returns its path. */
async function openLastList(page: Page): Promise<string> {
  await page.getByRole('heading', { name: 'Your walk lists' }).waitFor();
  await page.locator('.walk-list h3 a').last().click();
  await expect(page).toHaveURL(/\/walk\/\d+$/);
  return new URL(page.url()).pathname;
}

/** Signs in on the sign-in page the phone is already on (a plain form: it loads no wasm). */
async function signInHere(page: Page, role: keyof typeof accounts) {
  await page.getByLabel('Email').fill(accounts[role]);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

test('a signed-out phone says so, keeps its entry, and sends it only as its own account', async ({ page, baseURL }) => {
  await signIn(page, 'volunteer');
  const listPath = await openLastList(page);
  const before = await storedOnServer(baseURL!, listPath);
  await page.getByRole('link', { name: /^Next door/ }).click();
  await expect(page).toHaveURL(/\/door\/\d+$/);

  // The volunteer is signed out from elsewhere ("sign out everywhere", or switched off).
  await asVolunteer(baseURL!, async (api) => {
    expect((await api.post('/api/sign_out_everywhere', { headers: { accept: 'application/json' } })).ok()).toBeTruthy();
  });
  await page.getByRole('button', { name: 'Not in', exact: true }).click();
  const outbox = page.locator('[data-outbox]');
  await expect(outbox).toContainText('You are signed out, so 1 entry cannot be sent yet. They are kept on this phone: sign in to send them.');
  expect(await outboxSize(page)).toBe(1);
  await page.screenshot({ path: 'test-results/signin-signed-out-door-390.png', fullPage: true });

  // Someone else signs in on this phone: the entry is kept aside, not sent as them.
  await outbox.getByRole('link', { name: 'Sign in' }).click();
  await expect(page.locator('[data-outbox]')).toContainText('1 entry cannot be sent yet');
  await signInHere(page, 'organiser');
  await page.goto(listPath);
  await expect(page.locator('[data-outbox]')).toContainText('1 entry made by another account on this phone is kept aside');
  await page.waitForTimeout(1500);
  expect(await outboxSize(page)).toBe(1);
  expect(await storedOnServer(baseURL!, listPath)).toBe(before);

  // Its own account signs in again: it is sent, once.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await signInHere(page, 'volunteer');
  await expect.poll(() => outboxSize(page), { timeout: 15_000 }).toBe(0);
  await expect.poll(() => storedOnServer(baseURL!, listPath)).toBe(before + 1);
});

test.describe('with the service worker', () => {
  test.use({ serviceWorkers: 'allow' });

  test('signing out forgets the walk pages kept on the phone, and other pages offline show our offline page', async ({ page, context }) => {
    await signIn(page, 'volunteer');
    const listPath = await openLastList(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    await expect(page.locator('[data-offline-ready]')).toContainText('Saved on this phone', { timeout: 30_000 });

    // With no signal, a page that is not kept for offline use is our page, not the browser's.
    await context.setOffline(true);
    await page.goto('/sessions').catch(() => {});
    await expect(page.getByRole('heading', { name: 'No signal' })).toBeVisible();
    await expect(page.getByText('This page needs signal')).toBeVisible();
    // The walk list was kept, for its volunteer.
    await page.goto(listPath);
    await expect(page.locator('[data-walk-list]')).toBeVisible();
    await context.setOffline(false);

    await page.goto(listPath);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/);
    // Signed out and offline: the walk list is no longer on the phone for whoever holds it.
    await context.setOffline(true);
    await page.goto(listPath).catch(() => {});
    await expect(page.getByRole('heading', { name: 'No signal' })).toBeVisible();
    await expect(page.getByText('This page was not saved on this phone')).toBeVisible();
    await context.setOffline(false);
  });
});
