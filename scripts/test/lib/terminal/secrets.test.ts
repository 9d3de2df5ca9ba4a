// Masking at its boundaries: what a person may see of a secret, and that nothing more leaks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { fingerprint, mask, printable, redact, safeJson, safeOutput } from '../../../lib/terminal/secrets.ts';

const KEY = 'hcaik_01jtestingestkeyid0000000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

test('the fingerprint is the first 8 hex digits of the secret’s SHA-256', () => {
  assert.is(fingerprint('abc'), createHash('sha256').update('abc').digest('hex').slice(0, 8));
  assert.is(fingerprint('abc').length, 8);
  assert.is.not(fingerprint('abc'), fingerprint('abd'));
});

test('a mask shows at most 6 leading characters, and a quarter of a short secret, then the fingerprint', () => {
  assert.is(mask(KEY), `hcaik_…#${fingerprint(KEY)}`);
  assert.is(mask('abcdefgh'), `ab…#${fingerprint('abcdefgh')}`, '8 characters show 2');
  assert.is(mask('abcdefg'), `a…#${fingerprint('abcdefg')}`, '7 characters show 1');
  assert.is(mask('abc'), `…#${fingerprint('abc')}`, 'under 4 show none');
  assert.is(mask('x'.repeat(100)).split('…')[0], 'xxxxxx', 'never more than 6');
  assert.is(mask(undefined), '(not set)');
  assert.is(mask(''), '(not set)');
});

test('redact masks every occurrence, of every secret of 8 characters or more', () => {
  const line = `key=${KEY} again ${KEY}, secret=wJalrXUtn and ${KEY}`;
  const out = redact(line, [KEY, 'wJalrXUtn', undefined]);
  assert.not.ok(out.includes(KEY), out);
  assert.is(out.split(mask(KEY)).length - 1, 3, 'all three occurrences');
  assert.not.ok(out.includes('wJalrXUtn'));
  assert.is(redact('a short pw1234 here', ['pw1234']), 'a short pw1234 here', 'shorter than 8: left, it would mask ordinary words');
  assert.is(redact('exactly 8: abcdefgh.', ['abcdefgh']), `exactly 8: ${mask('abcdefgh')}.`);
});

test('safe output masks the secrets and hides any URL password, whatever its length', () => {
  assert.is(safeOutput('see https://user:pw@example.com/x and http://a:b@h', []), 'see https://user:***@example.com/x and http://a:***@h');
  assert.is(safeOutput('no password: https://example.com/a:b@c', []), 'no password: https://example.com/a:b@c', 'a colon after the host is a path, not a password');
  assert.is(safeOutput(`with ${KEY}`, [KEY]), `with ${mask(KEY)}`);
});

test('printable drops terminal escapes and control characters, and keeps text and newlines', () => {
  assert.is(printable('\x1b[31mred\x1b[0m team'), 'red team');
  assert.is(printable('a\x07b\x00c\x7fd\x9be'), 'abcde');
  assert.is(printable('line one\nline two\ttab'), 'line one\nline two\ttab');
  assert.is(printable('\x1bcreset'), 'creset', 'the ESC goes, so nothing is reset');
  assert.is(printable('Équipe ünïcode'), 'Équipe ünïcode');
});

test('a password in any URL scheme is hidden, wherever the URL starts', () => {
  // Schemes are a letter, then letters, digits, "+", "-" or "." (RFC 3986, section 3.1).
  assert.is(safeOutput('https://student:hunter22@example.com/x', []), 'https://student:***@example.com/x', 'at the start of the text');
  assert.is(safeOutput('h2://u:pw@host', []), 'h2://u:***@host', 'a digit last');
  assert.is(safeOutput('x-1://u:pw@host and git+ssh://me:secret@h', []), 'x-1://u:***@host and git+ssh://me:***@h');
});

test('a key as it was pasted (spaces, a newline, quotes) is masked in each form it travels in, and no form leaves a tail of a longer one', () => {
  const pasted = `  "${KEY}"\n`;
  // As saved (whole), as a header carries it (trimmed), and as a server that stripped the quotes echoes it.
  assert.is(redact(`saved ${pasted} end`, [pasted]), `saved ${mask(pasted)} end`);
  assert.is(redact(`header "${KEY}" end`, [pasted]), `header ${mask(`"${KEY}"`)} end`);
  assert.is(redact(`echo ${KEY} end`, [pasted]), `echo ${mask(KEY)} end`);
  assert.is(redact(`single '${KEY}'`, [`'${KEY}'`]), `single ${mask(`'${KEY}'`)}`);
  // Spaces inside the quotes too: the key alone is what a server that strips both echoes.
  assert.is(redact(`echo ${KEY} end`, [`" ${KEY} "`]), `echo ${mask(KEY)} end`);
  // Mismatched quotes are not a quoted key: only the trimmed form is masked.
  assert.is(redact(`"${KEY}'`, [`"${KEY}'`]), mask(`"${KEY}'`));
  assert.is(redact(`x ${KEY}' y`, [`"${KEY}'`]), `x ${KEY}' y`, 'a form is masked only as it was given, trimmed or unquoted');
  // The longest first: with the key and a longer value that holds it, the longer is masked whole.
  const longer = `${KEY}-and-more`;
  assert.is(redact(`${longer} ${KEY}`, [KEY, longer]), `${mask(longer)} ${mask(KEY)}`);
  assert.is(redact(`${longer} ${KEY}`, [longer, KEY]), `${mask(longer)} ${mask(KEY)}`);
});

test('safeJson: every string of a value, however deep, through safeOutput; other values kept', () => {
  const value = { key: KEY, nested: { list: [`k=${KEY}`, 'https://u:pw@h/x', 3, true, null] } };
  assert.equal(safeJson(value, [KEY]), { key: mask(KEY), nested: { list: [`k=${mask(KEY)}`, 'https://u:***@h/x', 3, true, null] } });
});

test.run();
