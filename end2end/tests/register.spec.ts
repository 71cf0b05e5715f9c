import { test, expect } from '@playwright/test';
import { signIn } from './helpers';

// A monthly update from an Idox/Halarose EROS system: two new electors at one new door.
const update = [
  'ChangeTypeID,PDCode,RollNo,ElectorTitle,ElectorSurname,ElectorForename,ElectorMiddleName,AttainersDOB,FranchiseMarker,RegisteredAddress1,RegisteredAddress2,PostCode',
  'N,AA,8001,Ms,Llŷr,Siân,,,,"Flat 9, ""Y Felin""",1 New Mill Lane,BL0 0AA',
  'N,AA,8002,Mr,Llŷr,Dafydd,,,,"Flat 9, ""Y Felin""",1 New Mill Lane,BL0 0AA',
  'N,AA,BAD,Mr,Nobody,Nemo,,,,2 New Mill Lane,,BL0 0AA',
].join('\r\n');

test('an organiser uploads a register update, checks the preview and imports the valid rows', async ({ page }) => {
  await signIn(page, 'organiser');
  await page.goto('/seats/E14000611');
  await page.getByRole('link', { name: /Electoral register/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Electoral register');
  await page.getByLabel('Register file', { exact: false }).and(page.locator('input[type=file]')).setInputFiles({ name: 'eros-update.csv', mimeType: 'text/csv', buffer: Buffer.from(update) });
  await page.getByRole('button', { name: 'Check the file' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check before importing');
  await expect(page.getByText('Idox/Halarose EROS update')).toBeVisible();
  await expect(page.locator('.stat', { hasText: 'New electors' }).locator('.stat-n')).toHaveText('2');
  const rejected = page.getByRole('table').filter({ hasText: 'Why' });
  await expect(rejected.getByRole('row')).toHaveCount(2);
  await expect(rejected.getByRole('row').nth(1)).toContainText(['4', 'RollNo'].join(''));
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/register-preview-${width}.png`, fullPage: true });
  }

  await page.getByRole('button', { name: /Import the valid rows \(1 rejected\)/ }).click();
  await expect(page.getByRole('status')).toHaveText('The register was imported.');
  await expect(page.getByRole('table').first()).toContainText('eros-update.csv');
});

test('a volunteer cannot open the register page', async ({ page }) => {
  await signIn(page, 'volunteer');
  const response = await page.goto('/seats/E14000611/register');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('alert')).toContainText('You do not have access');
});
