// When a pick in the sequence brings the inspector into the window (lib/scroll.ts stackedOutOfSight): only
// where the panes stack, and only when too little of the inspector shows.
import { expect, test } from 'vitest';
import { stackedOutOfSight } from '../../../src/ui/lib/scroll';

const WINDOW = 844;

test('stacked, far below the window (a phone, two-forests at its end): brought in', () => {
  const sequence = { top: 457 - 470, bottom: 1961 - 470 };
  const inspector = { top: 2773 - 470, bottom: 4200 - 470 };
  expect(stackedOutOfSight(sequence, inspector, WINDOW)).toBe(true);
});

test('stacked, showing less than a third of the window: brought in; a third or more: left', () => {
  const sequence = { top: -900, bottom: 600 };
  expect(stackedOutOfSight(sequence, { top: 620, bottom: 2000 }, WINDOW)).toBe(true);
  expect(stackedOutOfSight(sequence, { top: WINDOW - WINDOW / 3, bottom: 2000 }, WINDOW)).toBe(false);
  expect(stackedOutOfSight(sequence, { top: 200, bottom: 2000 }, WINDOW)).toBe(false);
});

test('stacked and shorter than a third of the window: left when it shows whole, brought in when cut', () => {
  const sequence = { top: -900, bottom: 500 };
  expect(stackedOutOfSight(sequence, { top: 600, bottom: 800 }, WINDOW)).toBe(false);
  expect(stackedOutOfSight(sequence, { top: 700, bottom: 900 }, WINDOW)).toBe(true);
});

test('beside the sequence (a wide screen), however little of it shows: left', () => {
  const sequence = { top: 120, bottom: 780 };
  expect(stackedOutOfSight(sequence, { top: 120, bottom: 780 }, 800)).toBe(false);
  expect(stackedOutOfSight(sequence, { top: 120, bottom: 3000 }, 800)).toBe(false);
  // a taller inspector beside a short sequence, its top scrolled out of the window
  expect(stackedOutOfSight({ top: -50, bottom: 300 }, { top: -50, bottom: 2000 }, 800)).toBe(false);
});
