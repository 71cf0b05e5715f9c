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

export async function signIn(page: Page, role: keyof typeof accounts) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(accounts[role]);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}
