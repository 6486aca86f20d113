'use strict';
// docs/launcher.md's input table is generated from the launcher's table (test-support/docs-table.js): keep them equal.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { repoRoot } = require('../test-support/helpers');
const { renderInputTable } = require('../test-support/docs-table');

test('docs/launcher.md has the input table generated from the launcher', () => {
  const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'launcher.md'), 'utf8').replace(/\r\n/g, '\n');
  const m = /<!-- inputs:begin -->\n([\s\S]*?)<!-- inputs:end -->/.exec(doc);
  assert.ok(m, 'inputs:begin / inputs:end markers missing');
  assert.equal(m[1], renderInputTable());
});
