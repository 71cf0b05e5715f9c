import { test, expect } from '@playwright/test';
import { hydrated, signIn } from './helpers';
import { DEMO_PASSWORD } from '../playwright.config';

// A monthly update from an Idox/Halarose EROS system: two new electors at one new door.
const update = [
  'ChangeTypeID,PDCode,RollNo,ElectorTitle,ElectorSurname,ElectorForename,ElectorMiddleName,AttainersDOB,FranchiseMarker,RegisteredAddress1,RegisteredAddress2,PostCode',
  'N,AA,8001,Ms,Llŷr,Siân,,,,"Flat 9, ""Y Felin""",1 New Mill Lane,BL0 0AA',
  'N,AA,8002,Mr,Llŷr,Dafydd,,,,"Flat 9, ""Y Felin""",1 New Mill Lane,BL0 0AA',
  'N,AA,BAD,Mr,Nobody,Nemo,,,,2 New Mill Lane,,BL0 0AA',
].join('\r\n');

test('an organiser uploads a register update, checks the preview and imports the valid rows', async ({ page }) => {
  // The check runs in the background against the whole demo register: slow in a debug build.
  test.setTimeout(180_000);
  await signIn(page, 'organiser');
  await page.goto('/seats/E14000611');
  await page.getByRole('link', { name: /Electoral register/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Electoral register');
  await page.getByLabel('Register file', { exact: false }).and(page.locator('input[type=file]')).setInputFiles({ name: 'eros-update.csv', mimeType: 'text/csv', buffer: Buffer.from(update) });
  await page.getByRole('button', { name: 'Check the file' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check before importing', { timeout: 60_000 });
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

// A council export in a layout Groundwork does not know: the organiser matches its columns.
const oddLayout = [
  'Ref,Family name,Given name,Line 1,Post code',
  'ZQ-1,Pryce,Gwenllian,3 Mill Lane,BL0 0AA',
  'ZQ-2,Pryce,Iolo,3 Mill Lane,BL0 0AA',
].join('\r\n');

for (const javaScript of [true, false]) {
  test(`an organiser matches the columns of an unknown layout, and it is remembered (JavaScript ${javaScript ? 'on' : 'off'})`, async ({ browser }) => {
    test.setTimeout(180_000);
    const context = await browser.newContext({ javaScriptEnabled: javaScript });
    const page = await context.newPage();
    if (javaScript) {
      await signIn(page, 'organiser');
    } else {
      await page.goto('/login');
      await page.getByLabel('Email').fill('organiser@demo.groundwork.example');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    }
    // Each run sends its own file: the second one's header has a column more.
    const file = javaScript ? oddLayout : oddLayout.replace('Post code', 'Post code,Notes').replace(/BL0 0AA/g, 'BL0 0AA,').replace(/ZQ-/g, 'ZR-').replace(/3 Mill Lane/g, '5 Mill Lane').replace(/Pryce/g, 'Prosser');
    await page.goto('/seats/E14000611/register');
    await page.locator('input[type=file]').setInputFiles({ name: 'odd-council.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await page.getByRole('button', { name: 'Check the file' }).click();

    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Match the columns');
    await page.getByLabel('Elector number, whole', { exact: false }).selectOption('Ref');
    await page.getByLabel('Surname', { exact: true }).selectOption('Family name');
    await page.getByLabel('Forename', { exact: true }).selectOption('Given name');
    await page.getByLabel('Address line 1', { exact: true }).selectOption('Line 1');
    await page.getByLabel('Postcode', { exact: true }).selectOption('Post code');
    await page.getByLabel('A monthly update').check();
    if (javaScript) {
      await page.setViewportSize({ width: 360, height: 900 });
      await page.screenshot({ path: 'test-results/register-columns-360.png', fullPage: true });
    }
    await page.getByRole('button', { name: 'Use these columns' }).click();

    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check before importing', { timeout: 60_000 });
    await expect(page.getByText('Hand-made mapping')).toBeVisible();
    await expect(page.locator('.stat', { hasText: 'New electors' }).locator('.stat-n')).toHaveText('2');
    if (javaScript) await hydrated(page);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByRole('status')).toHaveText('The register was imported.', { timeout: 60_000 });

    // The next file from that council goes straight to the check.
    await page.locator('input[type=file]').setInputFiles({ name: 'odd-council-2.csv', mimeType: 'text/csv', buffer: Buffer.from(file.replace('Iolo', 'Iolo Wyn')) });
    await page.getByRole('button', { name: 'Check the file' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check before importing', { timeout: 60_000 });
    const changed = page.locator('.stat').filter({ has: page.locator('.stat-label', { hasText: /^Changed$/ }) });
    await expect(changed.locator('.stat-n')).toHaveText('1');
    await context.close();
  });
}
