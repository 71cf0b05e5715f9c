import { test, expect, Page } from '@playwright/test';
import { screenshots, signIn } from './helpers';

// Polling day beyond one station: a knocker whose phone loses signal mid-round, and the
// region's screen, on a phone (390 px) and on a wall (1366 px). The demo seat comes with a
// simulated polling day in which the demo volunteer knocks up for the first committee room.
const SEAT = 'E14000611';

/** The outbox's results still on the phone, as the page would send them. */
async function outbox(page: Page): Promise<unknown[]> {
  return page.evaluate(
    () =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('groundwork-knock-up', 1);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('outbox', 'readonly').objectStore('outbox').getAll();
          get.onsuccess = () => resolve(get.result.map((i: { payload: unknown }) => i.payload));
          get.onerror = () => reject(get.error);
        };
      }),
  );
}

test.describe('a knock-up round on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('a knocker offline mid-round records three results, each stored exactly once when signal returns', async ({ page, context }) => {
    await signIn(page, 'volunteer');
    await page.goto(`/poll/${SEAT}/knock-up`);
    // Without a district the page opens the one with most left to knock: keep to this one.
    const district = await page.locator('form.knock-up-promise input[name="district"]').first().inputValue();
    const walk = await page.locator('form.knock-up-promise input[name="walk"]').first().inputValue();
    const round = `/poll/${SEAT}/knock-up?district=${district}&walk=${walk}`;
    await page.goto(round);
    const forms = page.locator('form.knock-up-promise');
    const electors = await forms.evaluateAll((fs) => fs.slice(0, 4).map((f) => (f as HTMLElement).dataset.elector ?? ''));
    expect(electors.length).toBe(4);
    const promise = (e: string) => page.locator(`form.knock-up-promise[data-elector="${e}"]`);
    const toKnock = async () => Number(await page.locator('[data-stat="to-knock"]').textContent());
    const before = await toKnock();

    // With signal: sent at once.
    await promise(electors[0]).getByRole('button', { name: 'Will vote' }).click();
    await expect(promise(electors[0])).toContainText('✓ Will vote · sent');

    // No signal: each result shows as done on the phone and waits in the outbox.
    await context.setOffline(true);
    const heard: [string, string][] = [[electors[1], 'Voted'], [electors[2], 'Not in'], [electors[3], 'Needs a lift']];
    for (const [e, label] of heard) {
      await promise(e).getByRole('button', { name: label, exact: true }).click();
      await expect(promise(e)).toContainText(`✓ ${label} · waiting to send`);
      await expect(promise(e).getByRole('button', { name: label, exact: true })).toBeDisabled();
    }
    await expect(page.locator('[data-knock-up-outbox]')).toHaveText('3 waiting to send');
    expect(await toKnock()).toBe(before - 4);
    const waiting = await outbox(page);
    expect(waiting.length).toBe(3);
    await page.screenshot({ path: 'test-results/pollday-knock-up-offline-390.png' });

    // Signal again: one batch, all three stored.
    const synced = page.waitForResponse((r) => r.url().endsWith('/api/polling-day/knock-up'));
    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    expect(await (await synced).json()).toEqual({ stored: 3, already_had: 0 });
    await expect(page.locator('[data-knock-up-outbox]')).toHaveText('');
    for (const [e, label] of heard) await expect(promise(e)).toContainText(`✓ ${label} · sent`);
    expect(await outbox(page)).toEqual([]);

    // The same results sent again (a phone that never heard back) are not stored again.
    const replay = await page.request.post('/api/polling-day/knock-up', { data: { gss_code: SEAT, results: waiting } });
    expect(await replay.json()).toEqual({ stored: 0, already_had: 3 });

    // A fresh load of the round: the voter is struck off, the others stay with their answer.
    await page.goto(round);
    await expect(promise(electors[1])).toHaveCount(0);
    await expect(promise(electors[0])).toContainText('last time: Will vote');
    await expect(promise(electors[2])).toContainText('last time: Not in');
    await expect(promise(electors[3])).toContainText('last time: Needs a lift');
    await expect(page.locator('[data-knock-up-outbox]')).toHaveText('');
  });
});

test.describe("the region's polling day", () => {
  test('regional staff follow every seat on a phone, figures only', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, 'regional');
    await page.goto('/dashboard');
    await page.locator('.region-polling-day').getByRole('link', { name: 'North West' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Which seat needs help');
    const seat = page.locator(`.region-seat[data-seat="${SEAT}"]`);
    await expect(seat).toContainText('Bury North');
    await expect(seat.locator('[data-col="promises"]')).toHaveText(/^[1-9][\d,]*$/);
    await expect(seat.locator('[data-col="coverage"]')).toHaveText(/^\d+%$/);
    await expect(page.locator('meta[http-equiv="refresh"]')).toHaveAttribute('content', '120');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await screenshots(page, 'pollday-region', [390]);
  });

  test('the wall screen shows the same figures in big type and refreshes itself', async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, 'regional');
    await page.goto('/regions/North%20West/polling-day');
    const desk = await page.locator(`.region-seat[data-seat="${SEAT}"] [data-col="promises"]`).textContent();
    await page.getByRole('link', { name: 'Wall screen' }).click();
    await expect(page).toHaveURL(/\/regions\/North%20West\/polling-day\/wall$/);
    await expect(page.locator(`.region-seat[data-seat="${SEAT}"] [data-col="promises"]`)).toHaveText(desk ?? '');
    await expect(page.locator('meta[http-equiv="refresh"]')).toHaveAttribute('content', '120');
    // Read from across the room: no navigation bar, but a way back to the desk view.
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
    await expect(page.getByRole('link', { name: 'Desk view' })).toBeVisible();
    const size = await page.locator('.region-seat h2').first().evaluate((h) => parseFloat(getComputedStyle(h).fontSize));
    expect(size).toBeGreaterThanOrEqual(24);
    await screenshots(page, 'pollday-region-wall', [1366]);
  });
});
