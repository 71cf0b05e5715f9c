import { test, expect } from '@playwright/test';
import { screenshots, signIn } from './helpers';

// The postal chase queue on a phone at 390 × 844: the demo seat comes with a synthetic
// absent-voters list and some chase answers, so the organiser has postal-vote promises
// to ring. Recording "Sent" takes one off the queue.
test.use({ viewport: { width: 390, height: 844 } });

const SEAT = 'E14000611';

test('an organiser records a postal vote as sent and it leaves the chase queue', async ({ page }) => {
  await signIn(page, 'organiser');
  await page.goto(`/seats/${SEAT}/polling-day`);
  await page.getByRole('link', { name: 'Postal votes' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Postal votes');
  await screenshots(page, 'postal-queue');

  const cards = page.locator('[data-chase]');
  const before = await cards.count();
  expect(before).toBeGreaterThan(0);
  const first = cards.first();
  const number = await first.getAttribute('data-chase');
  const name = (await first.getByRole('heading', { level: 3 }).textContent()) ?? '';
  const sentBefore = Number(await page.locator('[data-stat="postal-sent"]').textContent());

  await first.getByRole('button', { name: `Sent: ${name}` }).click();
  await expect(page.locator('[data-flash="msg"]')).toHaveText('Recorded: Sent.');
  await expect(page.locator(`[data-chase="${number}"]`)).toHaveCount(0);
  await expect(cards).toHaveCount(before - 1);
  await expect(page.locator('[data-stat="postal-sent"]')).toHaveText(String(sentBefore + 1));
  // Nothing on the page is wider than the phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
