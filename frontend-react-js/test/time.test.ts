// Relative times as the cards show them, at each unit's boundary.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ago, expiresIn } from '../src/lib/time.ts';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('expiry to the nearest unit: a crud just made for 5 or 7 days shows 5d and 7d, not 4d and 6d', () => {
  assert.is(expiresIn(at(5 * D - 3 * S), NOW), '5d');
  assert.is(expiresIn(at(7 * D - 50), NOW), '7d');
  assert.is(expiresIn(at(4 * D + 11 * H), NOW), '4d');
  assert.is(expiresIn(at(4 * D + 13 * H), NOW), '5d');
  assert.is(expiresIn(at(24 * H - 10 * M), NOW), '1d', '23 h 50 m is a day, not "24h"');
  assert.is(expiresIn(at(12 * H), NOW), '12h');
  assert.is(expiresIn(at(H - 10 * S), NOW), '1h');
  assert.is(expiresIn(at(45 * M), NOW), '45m');
  assert.is(expiresIn(at(59 * M + 20 * S), NOW), '59m');
  assert.is(expiresIn(at(5 * S), NOW), '1m', 'at least a minute until it has gone');
  assert.is(expiresIn(at(0), NOW), 'expired');
  assert.is(expiresIn(at(-M), NOW), 'expired');
});

test('how long ago, rounded down as the course does', () => {
  assert.is(ago(at(-30 * S), NOW), 'now');
  assert.is(ago(at(-5 * M), NOW), '5m ago');
  assert.is(ago(at(-2 * H - 59 * M), NOW), '2h ago');
  assert.is(ago(at(-3 * D), NOW), '3d ago');
});

test.run();
