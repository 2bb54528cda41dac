import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's chromium (`.ci/run` installs it); playwright's own browser downloads are not used. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const OUTPUT_DIR = fileURLToPath(new URL('./output/', import.meta.url));
export const PHONE_WIDTH = 375;
export const DESKTOP_WIDTH = 1280;

export function launchBrowser(): Promise<Browser> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** The session token lives where the app keeps it (localStorage), as if the user had signed in here. */
export async function useToken(page: Page, origin: string, token: string | null): Promise<void> {
  if (!page.url().startsWith(origin)) await page.goto(`${origin}/sign-in`);
  await page.evaluate((value) => {
    if (value === null) window.localStorage.removeItem('userhub.token');
    else window.localStorage.setItem('userhub.token', value);
  }, token);
}

interface ControlProblem {
  readonly control: string;
  readonly problem: string;
}

/** Every form control has a visible label (or an explicit accessible name), every button a text. */
async function controlProblems(page: Page): Promise<ControlProblem[]> {
  return page.evaluate(() => {
    const problems: { control: string; problem: string }[] = [];
    const describe = (el: Element) => el.outerHTML.slice(0, 120);
    const controls = document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
      'input:not([type="hidden"]), select, textarea',
    );
    for (const control of controls) {
      const labelText = [...(control.labels ?? [])].map((label) => label.textContent?.trim() ?? '').join('');
      if (labelText === '' && (control.getAttribute('aria-label') ?? '') === '')
        problems.push({ control: describe(control), problem: 'no label' });
    }
    for (const button of document.querySelectorAll('button')) {
      if ((button.textContent ?? '').trim() === '')
        problems.push({ control: describe(button), problem: 'no text' });
    }
    return problems;
  });
}

/**
 * Saves the page as a phone (375 px) and a desktop (1280 px) sees it, and checks what must
 * hold on every page: nothing scrolls sideways on the phone, every control is named.
 */
export async function capturePage(page: Page, name: string): Promise<void> {
  expect(await controlProblems(page), `${name}: unnamed controls`).toEqual([]);
  for (const width of [PHONE_WIDTH, DESKTOP_WIDTH]) {
    await page.setViewportSize({ width, height: 900 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `${name} scrolls sideways at ${width}px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${OUTPUT_DIR}${name}-${width}.png`, fullPage: true });
  }
}
