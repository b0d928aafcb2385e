// Loaded before every test file (scripts/test.mjs). Node 20 writes the message of a failing assert.ok(value) that
// has none by re-parsing the test's source from the call site at every column (nodejs/node#52677): on a
// tsx-compiled test file that runs for many minutes at 100% CPU, so a failed check looked like a hung test. Here
// such a failure gets a plain message at once (the stack trace still names the line).
import assert from 'node:assert/strict';
import { inspect } from 'node:util';

const ok = assert.ok;
assert.ok = ((value: unknown, message?: string | Error) => ok(value, message ?? `expected a truthy value, got ${inspect(value)}`)) as typeof assert.ok;
