import { test, expect, Page, Browser } from '@playwright/test';
import { signIn } from './helpers';

// Issue 19's audit clarity, paper returns and small field traps.
const SEAT = 'E14000611';
const shots = '/tmp/gw/shots';

async function asAdmin(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, 'admin');
  return page;
}

test.describe('offline', () => {
  test.use({ serviceWorkers: 'allow' });

  test('a list kept on the phone for use without signal is one "cached" entry on the audit log, not a view per door', async ({ page, browser }) => {
    await signIn(page, 'volunteer');
    await page.getByRole('heading', { name: 'Your walk lists' }).waitFor();
    const first = page.locator('.walk-list h3 a').first();
    const name = (await first.textContent())!.trim();
    const list = (await first.getAttribute('href'))!.split('/').pop();
    // Other tests walk this list's doors: count the door views already on the log.
    const admin = await asAdmin(browser);
    const viewsOfDoors = async () => {
      await admin.goto(`/audit?action=view&text=${encodeURIComponent(`doorstep, walk list ${list}`)}`);
      return admin.locator('table.audit tbody tr').count();
    };
    const before = await viewsOfDoors();
    await first.click();
    await expect(page).toHaveURL(/\/walk\/\d+$/);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    await expect(page.locator('[data-offline-ready]')).toContainText('Saved on this phone', { timeout: 30_000 });

    await admin.goto('/audit?action=cache');
    const rows = admin.locator('table.audit tbody tr');
    await expect(rows.first()).toContainText('Cached for offline use');
    await expect(rows.first()).toContainText(`Walk list ${name}`);
    await expect(rows.first()).toContainText('list cached for offline use');
    // Keeping every door on the phone added no door view.
    expect(await viewsOfDoors()).toBe(before);
    for (const width of [390, 1366]) {
      await admin.setViewportSize({ width, height: 900 });
      await admin.goto('/audit');
      await admin.screenshot({ path: `${shots}/field-audit-${width}.png`, fullPage: false });
    }
  });
});

test('the audit log and the subject access page say who, and name records and parties in words', async ({ page, browser }) => {
  await signIn(page, 'organiser');
  await page.goto(`/seats/${SEAT}/electors?q=an`);
  const first = page.locator('table.data tbody tr').first().getByRole('link');
  const href = (await first.getAttribute('href'))!;
  const surname = (await first.textContent())!.trim().split(' ').pop()!;
  await first.click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(surname);
  // A second look: the first is on the log, with who looked.
  await page.goto(href);
  const log = page.locator('table.access-log');
  await expect(log.locator('thead')).toContainText('Who');
  await expect(log.locator('tbody tr').filter({ hasText: 'subject access page' }).first()).toContainText('Viewed');
  await expect(log.locator('tbody tr').filter({ hasText: 'subject access page' }).first().locator('td').nth(1)).not.toHaveText('');
  await expect(page.locator('main')).not.toContainText(/\belector \d+\b|\bhousehold \d+\b/);
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${shots}/field-sar-${width}.png`, fullPage: true });
  }

  const admin = await asAdmin(browser);
  await admin.goto('/audit');
  const rows = admin.locator('table.audit tbody');
  await expect(rows).toContainText(`${surname}, `);
  await expect(rows).not.toContainText(/\b(elector|household|walk_list) \d+\b/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('paper returns record who knocked and how firm each intention was', async ({ page }) => {
    await signIn(page, 'organiser');
    await page.goto(`/seats/${SEAT}/map`);
    const print = page.getByRole('link', { name: 'Print sheet' }).first();
    await page.goto((await print.getAttribute('href'))!);
    await expect(page.locator('.walk-sheet')).toContainText('Canvassed by');
    await expect(page.locator('.sheet-table thead')).toContainText('Firm');
    for (const width of [390, 1366]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${shots}/field-sheet-${width}.png`, fullPage: false });
    }
    const code = (await page.locator('.sheet-code').textContent())!.trim();
    await page.goto(`/returns/${code}`);
    const canvasser = page.getByLabel('Who knocked these doors');
    await expect(canvasser).toBeVisible();
    const door = page.locator('.returns-table tbody tr').filter({ has: page.locator('.vote-list li') }).first();
    const vote = door.locator('.vote-list li').first();
    await vote.locator('select').first().selectOption({ label: 'Labour' });
    await vote.getByLabel(/How firm/).selectOption('4');
    await canvasser.selectOption({ index: 1 });
    for (const width of [390, 1366]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${shots}/field-returns-${width}.png`, fullPage: false });
    }
    await page.getByRole('button', { name: 'Save the returns' }).click();
    // Back on the screen, the door now shows what was recorded.
    await page.goto(`/returns/${code}`);
    const household = await door.getAttribute('data-household');
    await expect(page.locator(`.returns-table tr[data-household="${household}"]`)).toContainText('Recorded: Spoke');
  });
});

for (const width of [360, 390]) {
  test(`every party's name on the door form is whole at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    await signIn(page, 'volunteer');
    await page.getByRole('heading', { name: 'Your walk lists' }).waitFor();
    await page.locator('.walk-list h3 a').last().click();
    const door = page.getByRole('list', { name: 'Doors in walk order' }).locator('li a').first();
    await page.goto((await door.getAttribute('href'))!);
    const parties = page.getByRole('group', { name: 'Voting intention' }).locator('label');
    // Check one so that its bold face is measured too.
    await parties.filter({ hasText: 'Conservative' }).locator('input').check();
    const broken = await parties.evaluateAll((labels) => labels.flatMap((label) => {
      const text = [...label.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE);
      return text.flatMap((node) => {
        const words = [...(node.textContent || '').matchAll(/\S+/g)];
        const box = label.getBoundingClientRect();
        return words.filter((w) => {
          const range = document.createRange();
          range.setStart(node, w.index!);
          range.setEnd(node, w.index! + w[0].length);
          const rects = [...range.getClientRects()].filter((r) => r.width > 0);
          const inside = rects.every((r) => r.right <= box.right + 0.5 && r.left >= box.left - 0.5);
          return rects.length !== 1 || !inside;
        }).map((w) => w[0]);
      });
    }));
    expect(broken, 'no party name split across lines or spilling out').toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.getByRole('group', { name: 'Voting intention' }).screenshot({ path: `${shots}/field-parties-${width}.png` });
  });
}

test('admins download a volunteer\'s and an account\'s data from their pages, and anyone their own', async ({ page, browser }) => {
  await signIn(page, 'volunteer');
  await page.goto('/account');
  let download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download my data' }).click();
  expect((await download).suggestedFilename()).toMatch(/^account-\d+-data\.json$/);
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${shots}/field-account-${width}.png`, fullPage: true });
  }

  const admin = await asAdmin(browser);
  await admin.goto(`/seats/${SEAT}/volunteers`);
  const volunteer = await admin.locator('main a[href^="/volunteers/"]').first().getAttribute('href');
  await admin.goto(volunteer!);
  download = admin.waitForEvent('download');
  await admin.getByRole('link', { name: 'Download their data' }).click();
  expect((await download).suggestedFilename()).toMatch(/^volunteer-\d+-data\.json$/);
  await admin.goto('/people');
  download = admin.waitForEvent('download');
  await admin.getByRole('link', { name: /Download their data/ }).first().click();
  expect((await download).suggestedFilename()).toMatch(/^account-\d+-data\.json$/);
});
