import { test, expect, Page } from '@playwright/test';
import { signIn } from './helpers';

// The door form's traps (issue 19), on a phone at 390 × 844.
test.use({ viewport: { width: 390, height: 844 } });

/** Opens the volunteer's last walk list (the doorstep spec walks the first two, from
 *  nothing knocked) and returns its doors: path and how many electors live there. */
async function doors(page: Page): Promise<{ path: string; electors: number }[]> {
  await signIn(page, 'volunteer');
  await page.getByRole('heading', { name: 'Your walk lists' }).waitFor();
  const lists = page.locator('.walk-list h3 a');
  expect(await lists.count()).toBeGreaterThanOrEqual(3);
  await lists.last().click();
  await expect(page).toHaveURL(/\/walk\/\d+$/);
  const rows = page.getByRole('list', { name: 'Doors in walk order' }).locator('li a');
  await expect(rows.first()).toBeVisible();
  return rows.evaluateAll((links) => links.map((a) => ({
    path: new URL((a as HTMLAnchorElement).href).pathname,
    electors: Number((a.textContent || '').match(/(\d+) electors?/)?.[1] ?? 0),
  })));
}

test('an intention cannot be saved until someone is chosen under "Who answered"', async ({ page }) => {
  const all = await doors(page);
  const family = all.find((d) => d.electors >= 2);
  expect(family).toBeTruthy();
  await page.goto(family!.path);
  const who = page.getByRole('group', { name: 'Who answered' });
  for (const radio of await who.getByRole('radio').all()) await expect(radio).not.toBeChecked();
  // "Spoke, Labour, 5" with nobody ticked: once a contact with no supporter; now a question.
  await page.getByLabel('Labour').check();
  await page.getByRole('group', { name: 'How firm' }).getByLabel('5 Certain').check();
  await page.getByRole('button', { name: 'Save: spoke' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Choose who answered' })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`${family!.path}$`));
  await expect(page.locator('[data-outbox]')).toHaveText('');
  await who.getByRole('radio').first().check();
  await expect(page.getByRole('alert').filter({ hasText: 'Choose who answered' })).toBeHidden();
  await page.getByRole('button', { name: 'Save: spoke' }).click();
  await expect(page).not.toHaveURL(new RegExp(`${family!.path}$`));
});

test('a one-person door has its only elector chosen already', async ({ page }) => {
  const all = await doors(page);
  const single = all.find((d) => d.electors === 1);
  expect(single).toBeTruthy();
  await page.goto(single!.path);
  const who = page.getByRole('group', { name: 'Who answered' });
  await expect(who.getByRole('radio').first()).toBeChecked();
  await expect(who.getByLabel('Someone not listed')).not.toBeChecked();
});

test('the door form fits a 390 px phone: one-tap results and Save on the first screen, nothing wider than 360 px', async ({ page }) => {
  const all = await doors(page);
  await page.goto(all.find((d) => d.electors >= 2)!.path);
  await page.screenshot({ path: 'test-results/door-form-top-390.png' });
  await page.screenshot({ path: 'test-results/door-form-390.png', fullPage: true });
  const inView = async (name: string | RegExp) => {
    const box = await page.getByRole('button', { name, exact: typeof name === 'string' }).boundingBox();
    expect(box, `${name}`).toBeTruthy();
    expect(box!.y, `${name} starts on screen`).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height, `${name} ends on screen`).toBeLessThanOrEqual(844);
  };
  await inView('Not in');
  await inView('Save: spoke');
  // Still there (sticky) half-way down and at the foot of the form.
  await page.getByRole('group', { name: 'How we know' }).scrollIntoViewIfNeeded();
  await inView('Save: spoke');
  await page.getByRole('group', { name: 'Follow-ups' }).scrollIntoViewIfNeeded();
  await inView('Save: spoke');
  // Follow-ups come before Save, not after it.
  const order = await page.evaluate(() => {
    const f = document.querySelector('fieldset.follow-ups')!;
    const s = document.querySelector('.save-bar')!;
    return f.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING;
  });
  expect(order).toBeTruthy();
  // No sideways scrolling; every firmness label whole; nothing in the form over 360 px.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const clipped = await page.locator('fieldset.scale label').evaluateAll((labels) =>
    labels.filter((l) => l.scrollWidth > l.clientWidth + 1).map((l) => l.textContent));
  expect(clipped).toEqual([]);
  const wide = await page.locator('form.door-form *').evaluateAll((els) =>
    els.filter((e) => e.getBoundingClientRect().width > 360.5).map((e) => `${e.tagName}.${e.className}`));
  expect(wide).toEqual([]);
});

test('a call back takes a phone number only with consent, and the organiser sees it', async ({ page, browser }) => {
  const all = await doors(page);
  const door = all.find((d) => d.electors >= 1)!;
  await page.goto(door.path);
  await page.getByLabel('Call back').check();
  await page.getByText(/^Phone or email/).click();
  await page.getByLabel('Phone', { exact: true }).fill('07700 900456');
  await page.getByRole('button', { name: 'Not in', exact: true }).click();
  // Refused on the phone, before it is queued: consent first.
  await expect(page).toHaveURL(new RegExp(`${door.path}$`));
  expect(await page.getByLabel(/agreed to be contacted/).evaluate((e) => (e as HTMLInputElement).validationMessage)).toContain('agreed to be contacted');
  await page.getByLabel(/agreed to be contacted/).check();
  await page.getByRole('button', { name: 'Not in', exact: true }).click();
  await expect(page).not.toHaveURL(new RegExp(`${door.path}$`));

  const organiser = await browser.newPage();
  await signIn(organiser, 'organiser');
  await organiser.goto('/dashboard/seats/E14000611/follow-ups?kind=call_back');
  await expect(organiser.getByText('07700 900456')).toBeVisible();
  await organiser.close();
});

// A full register in the Xpress layout that holds three people of 67,000.
const partial = [
  'Elector Number Prefix,Elector Number,Elector Number Suffix,Elector Markers,Elector DOB,Elector Surname,Elector Forename,PostCode,Address1,Address2',
  'AA,1,0,,,Example,Alex,BL0 0AA,1 Mill Lane,',
  'AA,2,0,,,Example,Sam,BL0 0AA,1 Mill Lane,',
  'AA,3,0,,,Example,Jo,BL0 0AA,3 Mill Lane,',
].join('\r\n');

test('a full register that would mark most electors as left asks for the number to be typed', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1366, height: 900 });
  await signIn(page, 'organiser');
  await page.goto('/seats/E14000611/register');
  await page.locator('input[type=file]').setInputFiles({ name: 'ward-only.csv', mimeType: 'text/csv', buffer: Buffer.from(partial) });
  await page.getByRole('button', { name: 'Check the file' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check before importing', { timeout: 120_000 });
  const warning = page.getByRole('alert').filter({ hasText: 'This looks like part of a register' });
  await expect(warning).toContainText(/would mark [\d,]+ of the [\d,]+ electors we hold \(\d+\.\d%\) as having left/);
  await page.screenshot({ path: 'test-results/register-partial-1366.png', fullPage: true });
  const left = (await page.locator('.stat', { hasText: 'Left the register' }).locator('.stat-n').textContent())!.replace(/,/g, '');
  // Import without the number: the browser asks for it; a wrong number: refused in words.
  const typed = page.getByLabel(/type the number of electors who would be marked as left/);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  expect(await typed.evaluate((e) => (e as HTMLInputElement).validity.valueMissing)).toBe(true);
  await typed.fill(String(Number(left) - 1));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.locator('p.error')).toContainText('Nothing was imported: the number typed is not the');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Check before importing');
  // Nothing was written: cancel, and the seat still has its electors.
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText(/No register file has been imported here yet: the [\d,]+ electors above were loaded another way/)).toBeVisible();
});

test('a mis-tap is changed or undone from the door, and the list counts the door once', async ({ page }) => {
  const all = await doors(page);
  const listPath = new URL(page.url()).pathname;
  const knocked = async () => { await page.goto(listPath); return Number(await page.locator('[data-stat="knocked"]').textContent()); };
  const entries = async () => Number(await page.locator('[data-stat="entries"]').textContent());
  const before = await knocked();
  const beforeEntries = await entries();
  const target = all.filter((d) => d.electors >= 1)[2];
  await page.goto(target.path);
  await page.getByRole('button', { name: 'Moved away', exact: true }).click();
  await expect(page).not.toHaveURL(new RegExp(`${target.path}$`));
  // Back to the door: it says what this phone recorded, with Change and Undo.
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`${target.path}$`));
  const recorded = page.locator('[data-recorded]');
  await expect(recorded).toContainText('Already recorded on this phone: Moved away');
  await page.screenshot({ path: 'test-results/door-recorded-390.png' });
  await recorded.getByRole('button', { name: 'Change' }).click();
  await page.getByRole('button', { name: 'Refused', exact: true }).click();
  await expect(page).not.toHaveURL(new RegExp(`${target.path}$`));
  await expect.poll(knocked).toBe(before + 1);
  await expect.poll(entries).toBe(beforeEntries + 1);
  await expect(page.locator(`li.door[data-household="${target.path.split('/').pop()}"]`)).toContainText('Refused');
  // Undo: the door is not recorded at all.
  await page.goto(target.path);
  await recorded.getByRole('button', { name: 'Undo' }).click();
  await expect(recorded).toContainText('Undone');
  await expect(page.locator('[data-outbox]')).toHaveText('', { timeout: 15_000 });
  await expect.poll(knocked).toBe(before);
  await expect.poll(entries).toBe(beforeEntries);
});
