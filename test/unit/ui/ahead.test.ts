// The worker's work ahead of need (the scenario's password keys) waits until the page has drawn its first
// screen, then runs; after that it runs at once. Only the newest waiting work runs (a scenario opened
// before the page had drawn replaces the one before it).
import { describe, expect, test } from 'vitest';
import { AheadOfNeed } from '../../../src/ui/engine/ahead';

describe('AheadOfNeed', () => {
  test('work waits until the page has drawn, then runs once', () => {
    const gate = new AheadOfNeed();
    const ran: string[] = [];
    gate.later(() => ran.push('happy-path keys'));
    expect(ran).toEqual([]);
    expect(gate.isOpen).toBe(false);
    gate.open();
    expect(ran).toEqual(['happy-path keys']);
    gate.open();
    expect(ran).toEqual(['happy-path keys']);
  });

  test('a newer scenario replaces work still waiting', () => {
    const gate = new AheadOfNeed();
    const ran: string[] = [];
    gate.later(() => ran.push('kerberos-101'));
    gate.later(() => ran.push('happy-path'));
    gate.open();
    expect(ran).toEqual(['happy-path']);
  });

  test('once the page has drawn, work runs at once', () => {
    const gate = new AheadOfNeed();
    const ran: string[] = [];
    gate.open();
    expect(gate.isOpen).toBe(true);
    gate.later(() => ran.push('two-forests'));
    expect(ran).toEqual(['two-forests']);
  });
});
