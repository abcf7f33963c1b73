import { describe, expect, it } from 'vitest';
import {
  etaSeconds,
  formatBytes,
  formatDuration,
  formatSpeed,
  pausedNote,
  percent,
} from './format.ts';

describe('format', () => {
  it('shows sizes in binary units with three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(64 * 1024 * 1024)).toBe('64.0 MiB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2.00 GiB');
    expect(formatBytes(150 * 1024 ** 2)).toBe('150 MiB');
    expect(formatBytes(-1)).toBe('–');
  });

  it('shows a speed, or a dash while unknown', () => {
    expect(formatSpeed(12.5 * 1024 * 1024)).toBe('12.5 MiB/s');
    expect(formatSpeed(0)).toBe('–');
    expect(formatSpeed(Number.NaN)).toBe('–');
  });

  it('shows the time left in seconds, minutes or hours', () => {
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3 * 3600 + 120)).toBe('3 h 02 min');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('–');
  });

  it('estimates the time left from the speed', () => {
    expect(etaSeconds(25, 125, 10)).toBe(10);
    expect(etaSeconds(25, 125, 0)).toBeUndefined();
    expect(etaSeconds(200, 125, 10)).toBeUndefined();
  });

  it('floors the percentage so that 100 % means done', () => {
    expect(percent(997, 1000)).toBe(99);
    expect(percent(1000, 1000)).toBe(100);
    expect(percent(5, 0)).toBe(0);
  });

  it('says on a paused card what a resume will keep', () => {
    expect(pausedNote({ bytes: 3 * 1024 * 1024, parts: 3 })).toBe(
      'Paused. 3.00 MiB in 3 parts are kept on the server; Resume continues from them, even after a reload.',
    );
    expect(pausedNote({ bytes: 0, parts: 0 })).toMatch(/No part was stored yet/);
    expect(pausedNote('unsaved')).toMatch(/could not save the progress/);
    expect(pausedNote(undefined)).toBe('Paused. Resume continues where the upload stopped.');
  });
});
