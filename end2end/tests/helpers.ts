import { expect, Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../playwright.config';

export const accounts = {
  admin: 'admin@demo.groundwork.example',
  regional: 'regional@demo.groundwork.example',
  organiser: 'organiser@demo.groundwork.example',
  volunteer: 'volunteer@demo.groundwork.example',
} as const;

/** Waits until the WebAssembly has hydrated the page, so clicks go through Leptos. */
export async function hydrated(page: Page) {
  await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 30_000 });
}

/** Signs in through the plain sign-in form: the sign-in and home pages load no WebAssembly. */
export async function signIn(page: Page, role: keyof typeof accounts) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(accounts[role]);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** Saves full-page screenshots at a phone and a desktop width, to look at after a run. */
export async function screenshots(page: Page, name: string, widths = [390, 1280]) {
  for (const width of widths) {
    await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
    await page.screenshot({ path: `test-results/${name}-${width}.png`, fullPage: true });
  }
}
