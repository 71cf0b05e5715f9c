import { test, expect, Page } from '@playwright/test';
import { screenshots, signIn } from './helpers';

// Polling day on a phone at 390 × 844: a teller at a station (offline in the middle), a
// knock-up round, and the committee room's screen. The demo seat comes with a simulated
// polling day in which the demo volunteer tells at the first station and knocks up for
// the first committee room.
test.use({ viewport: { width: 390, height: 844 } });

const SEAT = 'E14000611';

/** Promises still to knock in the round's first district, as the page lists them. */
async function roundNumbers(page: Page): Promise<{ elector: string; number: string }[]> {
  return page.locator('form.knock-up-promise').evaluateAll((forms) =>
    forms.map((f) => ({
      elector: (f as HTMLElement).dataset.elector ?? '',
      number: (f.querySelector('p')?.textContent ?? '').split(' · ')[1]?.trim() ?? '',
    })),
  );
}

async function toldHere(page: Page): Promise<number> {
  return Number((await page.locator('[data-stat="told-here"]').textContent())?.replace(/,/g, ''));
}

test.describe('a teller with the service worker', () => {
  // The service worker is blocked everywhere else (see playwright.config.ts): this test
  // reloads the page with no signal.
  test.use({ serviceWorkers: 'allow' });

  test('a teller enters numbers, offline in the middle, and each is stored exactly once', async ({ page, context }) => {
    await signIn(page, 'volunteer');
    // The first district of the first room votes at the first station: its promises'
    // numbers are ones nobody has told yet.
    await page.goto(`/poll/${SEAT}/knock-up`);
    await page.getByRole('navigation', { name: 'Districts' }).getByRole('link').first().click();
    // Keep to the walk that opened.
    const walk = await page.locator('form.knock-up-promise input[name="walk"]').first().inputValue();
    const district = await page.locator('form.knock-up-promise input[name="district"]').first().inputValue();
    const promises = (await roundNumbers(page)).slice(0, 4);
    expect(promises.length).toBe(4);

    await page.goto(`/poll/${SEAT}/telling`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText("St Mary's Church Hall");
    // The station's page is kept on the phone (public/doorstep.js asks the service worker).
    await expect
      .poll(() =>
        page.evaluate(async () => {
          for (const k of await caches.keys()) {
            if (k.endsWith('-pages') && (await (await caches.open(k)).match(location.origin + location.pathname))) return true;
          }
          return false;
        }),
      )
      .toBe(true);
    const before = await toldHere(page);
    const typed = promises.map((p, i) => (i % 2 ? p.number.toLowerCase().replace('-', ' ') : p.number));
    const number = page.getByLabel('Poll number');
    const local = page.getByRole('list', { name: 'Numbers on this phone' });

    for (const t of typed.slice(0, 2)) {
      await number.fill(t);
      await page.getByRole('button', { name: 'Tell', exact: true }).click();
      await expect(local.getByText(`${t} · sent`)).toBeVisible();
    }
    await context.setOffline(true);
    for (const t of typed.slice(2)) {
      await number.fill(t);
      await page.getByRole('button', { name: 'Tell', exact: true }).click();
    }
    await expect(page.locator('[data-telling-outbox]')).toHaveText('2 waiting to send');
    // With no signal the page opens again from the phone, the two numbers still waiting.
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText("St Mary's Church Hall");
    await expect(page.locator('[data-telling-outbox]')).toHaveText('2 waiting to send');
    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect(page.locator('[data-telling-outbox]')).toHaveText('');
    await expect(local.getByText(`${typed[3]} · sent`)).toBeVisible();
    await screenshots(page, 'polling-day-telling', [390]);

    // Reloaded (and the outbox flushed again on load): four more told, each once.
    await page.reload();
    await expect.poll(() => toldHere(page)).toBe(before + 4);
    await page.reload();
    expect(await toldHere(page)).toBe(before + 4);
    for (const t of typed) {
      await expect(page.locator('.telling-recent li', { hasText: t })).toHaveCount(1);
    }

    // Struck off: none of the four is on the knock-up round any more.
    await page.goto(`/poll/${SEAT}/knock-up?district=${district}&walk=${walk}`);
    const left = (await roundNumbers(page)).map((p) => p.elector);
    for (const p of promises) expect(left).not.toContain(p.elector);
  });
});

test('a knock-up round drops the voted and keeps the not-in for the next round', async ({ page }) => {
  await signIn(page, 'volunteer');
  await page.goto(`/poll/${SEAT}/knock-up`);
  // Without a district the page opens the one with most left to knock: keep to this one.
  const district = await page.locator('form.knock-up-promise input[name="district"]').first().inputValue();
  const walk = await page.locator('form.knock-up-promise input[name="walk"]').first().inputValue();
  await page.goto(`/poll/${SEAT}/knock-up?district=${district}&walk=${walk}`);
  const [first, second] = await roundNumbers(page);
  const promise = (e: string) => page.locator(`form.knock-up-promise[data-elector="${e}"]`);

  // The outbox (public/knock-up.js) sends each result and marks the door at once; the
  // next load of the round is made afresh.
  await promise(first.elector).getByRole('button', { name: 'Voted' }).click();
  await expect(promise(first.elector)).toContainText('✓ Voted · sent');
  await promise(second.elector).getByRole('button', { name: 'Not in' }).click();
  await expect(promise(second.elector)).toContainText('✓ Not in · sent');
  await page.reload();
  await expect(promise(first.elector)).toHaveCount(0);
  await expect(promise(second.elector)).toContainText('last time: Not in');
  await expect(page.locator('[data-stat="needed"]')).toContainText('promises needed');
  await screenshots(page, 'polling-day-knock-up', [390]);
});

test("the committee room's screen shows each room and box and takes a box count", async ({ page }) => {
  await signIn(page, 'organiser');
  await page.goto(`/seats/${SEAT}/polling-day`);
  await expect(page.getByRole('heading', { name: 'Promises voted' })).toBeVisible();
  const room = page.locator('.room[data-room="Bury Labour Club"]');
  await expect(room).toContainText('Where next:');
  await expect(room).toContainText('promises voted');
  await expect(page.locator('table.boxes tbody tr').first()).toContainText('telling corrected for coverage');
  // Nothing is wider than the phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);

  await page.getByLabel('Time (HH:MM)').fill('16:00');
  await page.getByLabel('Papers issued').fill('640');
  await page.getByRole('button', { name: 'Save count' }).click();
  await expect(page.locator('[data-flash="msg"]')).toContainText('Saved the count: 640 papers by 16:00.');
  await screenshots(page, 'polling-day-dashboard');
});
