'use strict';
// The launcher's input table is the contract of task.json and action.yml: same names, same order.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const launcher = require('../launcher');
const { repoRoot } = require('../test-support/helpers');

/** The keys directly under the top-level `inputs:` of action.yml (two-space indent), in order. No YAML package. */
function actionInputNames(text) {
  const names = [];
  let inInputs = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      inInputs = /^inputs:\s*$/.test(line);
      continue;
    }
    const m = inInputs && /^ {2}([A-Za-z_][A-Za-z0-9_-]*):\s*$/.exec(line);
    if (m) names.push(m[1]);
  }
  return names;
}

test('the input table has exactly the task.json inputs, in task.json order', () => {
  const task = JSON.parse(fs.readFileSync(path.join(repoRoot, 'task.json'), 'utf8'));
  assert.deepEqual(launcher.INPUTS.map((i) => i.name), task.inputs.map((i) => i.name));
});

test('action.yml has the task.json inputs, in the same order, plus image', () => {
  const names = actionInputNames(fs.readFileSync(path.join(repoRoot, 'action.yml'), 'utf8'));
  assert.deepEqual(names, [...launcher.INPUTS.map((i) => i.name), ...launcher.ACTION_ONLY_INPUTS.map((i) => i.name)]);
  assert.deepEqual(launcher.ACTION_ONLY_INPUTS.map((i) => i.name), ['image']);
});

test('every input but mode maps to ORCHPREP_<UPPER_SNAKE of its name>', () => {
  for (const input of launcher.INPUTS) {
    if (input.name === 'mode') {
      assert.equal(input.env, null);
      continue;
    }
    assert.equal(input.env, 'ORCHPREP_' + launcher.upperSnake(input.name), input.name);
  }
  const byName = Object.fromEntries(launcher.INPUTS.map((i) => [i.name, i.env]));
  assert.equal(byName.drainTimeout, 'ORCHPREP_DRAIN_TIMEOUT');
  assert.equal(byName.backupDir, 'ORCHPREP_BACKUP_DIR');
  assert.equal(byName.restoreServer, 'ORCHPREP_RESTORE_SERVER');
  assert.equal(byName.failOnWarning, 'ORCHPREP_FAIL_ON_WARNING');
  assert.equal(byName.checkTimeout, 'ORCHPREP_CHECK_TIMEOUT');
  assert.equal(byName.sqlPassword, 'ORCHPREP_SQL_PASSWORD');
  assert.equal(byName.wsUser, 'ORCHPREP_WS_USER');
  assert.equal(byName.wsPassword, 'ORCHPREP_WS_PASSWORD');
  assert.equal(byName.smkPassword, 'ORCHPREP_SMK_PASSWORD');
});

test('booleans and secrets are typed as task.json says', () => {
  const task = JSON.parse(fs.readFileSync(path.join(repoRoot, 'task.json'), 'utf8'));
  const booleans = task.inputs.filter((i) => i.type === 'boolean').map((i) => i.name);
  assert.deepEqual(launcher.INPUTS.filter((i) => i.kind === 'boolean').map((i) => i.name), booleans);
  assert.deepEqual(
    launcher.INPUTS.filter((i) => i.kind === 'secret').map((i) => i.name),
    task.inputs.filter((i) => i.groupName === 'secrets').map((i) => i.name),
  );
});

test('input variables are INPUT_ plus the name upper-cased, spaces and dots as _', () => {
  assert.equal(launcher.inputVariableName('drainTimeout'), 'INPUT_DRAINTIMEOUT');
  assert.equal(launcher.inputVariableName('sql Instance'), 'INPUT_SQL_INSTANCE');
  assert.equal(launcher.inputVariableName('a.b'), 'INPUT_A_B');
});

test('mapInputs: every given input reaches its variable; empty and whitespace are not given', () => {
  const env = {};
  for (const input of launcher.INPUTS) env[launcher.inputVariableName(input.name)] = `v-${input.name}`;
  env.INPUT_CLOSEPROGRAMS = 'True';
  env.INPUT_FORCESTOP = 'TRUE';
  env.INPUT_FAILONWARNING = 'false';
  const mapped = launcher.mapInputs(env);
  const expected = {};
  for (const input of launcher.INPUTS.filter((i) => i.env)) expected[input.env] = `v-${input.name}`;
  expected.ORCHPREP_CLOSE_PROGRAMS = 'true';
  expected.ORCHPREP_FORCE_STOP = 'true';
  expected.ORCHPREP_FAIL_ON_WARNING = 'false';
  assert.deepEqual(mapped, expected);

  assert.deepEqual(launcher.mapInputs({ INPUT_CONFIG: '', INPUT_ENVIRONMENT: '   ', INPUT_SQLPASSWORD: ' \t' }), {});
});

test('mapInputs trims text but keeps a secret verbatim; an odd boolean passes through for orchprep to reject', () => {
  const mapped = launcher.mapInputs({ INPUT_DRAINTIMEOUT: ' 30m ', INPUT_SQLPASSWORD: ' p@ss; %w0rd ', INPUT_FAILONWARNING: 'yes' });
  assert.equal(mapped.ORCHPREP_DRAIN_TIMEOUT, '30m');
  assert.equal(mapped.ORCHPREP_SQL_PASSWORD, ' p@ss; %w0rd ');
  assert.equal(mapped.ORCHPREP_FAIL_ON_WARNING, 'yes');
});

test('readMode: required, one of check/prepare/resume, case and spaces forgiven', () => {
  assert.throws(() => launcher.readMode({}), (e) => e instanceof launcher.UsageError && /'mode' is required/.test(e.message));
  assert.throws(() => launcher.readMode({ INPUT_MODE: '  ' }), launcher.UsageError);
  assert.throws(
    () => launcher.readMode({ INPUT_MODE: 'upgrade' }),
    (e) => e instanceof launcher.UsageError && e.message === "The input 'mode' is 'upgrade': use check, prepare, resume.",
  );
  assert.equal(launcher.readMode({ INPUT_MODE: ' Prepare ' }), 'prepare');
  assert.equal(launcher.readMode({ INPUT_MODE: 'resume' }), 'resume');
});

test('ifPresent (resume) reaches orchprep as ORCHPREP_IF_PRESENT; sandbox and environment both pass, for orchprep to refuse together', () => {
  const mapped = launcher.mapInputs({ INPUT_IFPRESENT: 'TRUE', INPUT_SANDBOX: ' ready ', INPUT_ENVIRONMENT: 'prod' });
  assert.equal(mapped.ORCHPREP_IF_PRESENT, 'true');
  // The launcher does not second-guess orchprep: both reach it, and orchprep exits 2 naming ORCHPREP_ENVIRONMENT.
  assert.equal(mapped.ORCHPREP_SANDBOX, 'ready');
  assert.equal(mapped.ORCHPREP_ENVIRONMENT, 'prod');
});
