'use strict';
// Lives outside test/ because node --test runs every .js file under a test/ folder as a test file.
// Renders docs/launcher.md's input table from the launcher's table and task.json's defaults.
// Regenerate: node -e "process.stdout.write(require('./tasks/azure-pipelines/test-support/docs-table').renderInputTable())"
const fs = require('fs');
const path = require('path');
const launcher = require('../launcher');
const { repoRoot } = require('./helpers');

const KIND = { mode: 'check, prepare or resume (validated)', text: 'text, trimmed', boolean: '`true`/`false`', secret: 'secret, kept verbatim' };

function renderInputTable() {
  const task = JSON.parse(fs.readFileSync(path.join(repoRoot, 'task.json'), 'utf8'));
  const rows = ['| input | arrives as | orchprep gets | value | default |', '|---|---|---|---|---|'];
  const fmt = (v) => (v ? `\`${v}\`` : '(empty)');
  for (const input of launcher.INPUTS) {
    const def = task.inputs.find((i) => i.name === input.name).defaultValue;
    const target = input.env ? `\`${input.env}\`` : 'argv: `orchprep <mode>`';
    rows.push(`| \`${input.name}\` | \`${launcher.inputVariableName(input.name)}\` | ${target} | ${KIND[input.kind]} | ${fmt(def)} |`);
  }
  for (const input of launcher.ACTION_ONLY_INPUTS) {
    rows.push(`| \`${input.name}\` (action only) | \`${launcher.inputVariableName(input.name)}\` | nothing: runs \`docker run … <image> <mode>\` | text, trimmed | (empty) |`);
  }
  return rows.join('\n') + '\n';
}

module.exports = { renderInputTable };
