'use strict';
// The launcher as the agent / runner starts it (node index.js), with a fake orchprep (ORCHPREP_PATH=*.js).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { azureEntry, githubEntry, fakeOrchprep, cleanEnv, tempDir, runEntry } = require('../test-support/helpers');

const SECRETS = { INPUT_SQLPASSWORD: 'Sql%Secret;7781', INPUT_WSUSER: 'ws-user-4411', INPUT_WSPASSWORD: 'Ws Secret 9', INPUT_SMKPASSWORD: 'Smk-Secret-1234' };

function azureEnv(dir, extra) {
  return cleanEnv({
    TF_BUILD: 'True',
    AGENT_TEMPDIRECTORY: dir,
    ORCHPREP_PATH: fakeOrchprep,
    FAKE_RECORD: path.join(dir, 'record.json'),
    INPUT_MODE: 'check',
    ...extra,
  });
}

test('Azure: orchprep gets only the mode on argv; inputs and secrets arrive as ORCHPREP_*; INPUT_* and SECRET_* are gone', async () => {
  const dir = tempDir();
  const run = await runEntry(azureEntry, azureEnv(dir, {
    ...SECRETS,
    INPUT_DRAINTIMEOUT: '30m',
    INPUT_FAILONWARNING: 'true',
    INPUT_CONFIG: '',
    SECRET_ORCHSQLPASSWORD: 'Sql%Secret;7781',
  }), { cwd: dir });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  const record = JSON.parse(fs.readFileSync(path.join(dir, 'record.json'), 'utf8'));
  assert.deepEqual(record.argv, ['check']);
  assert.equal(record.env.ORCHPREP_SQL_PASSWORD, SECRETS.INPUT_SQLPASSWORD);
  assert.equal(record.env.ORCHPREP_WS_USER, SECRETS.INPUT_WSUSER);
  assert.equal(record.env.ORCHPREP_WS_PASSWORD, SECRETS.INPUT_WSPASSWORD);
  assert.equal(record.env.ORCHPREP_SMK_PASSWORD, SECRETS.INPUT_SMKPASSWORD);
  assert.equal(record.env.ORCHPREP_DRAIN_TIMEOUT, '30m');
  assert.equal(record.env.ORCHPREP_FAIL_ON_WARNING, 'true');
  assert.equal(record.env.ORCHPREP_CONFIG, undefined, 'an empty input is not given');
  assert.deepEqual(Object.keys(record.env).filter((k) => /^(INPUT_|SECRET_)/i.test(k)), []);
  assert.equal(record.env.AGENT_TEMPDIRECTORY, dir, 'the rest is inherited');

  assert.deepEqual(run.lines, [`orchprep launcher: running node ${fakeOrchprep} check`, 'fake: done']);
  for (const value of Object.values(SECRETS)) {
    assert.ok(!run.stdout.includes(value) && !run.stderr.includes(value), `${value} printed`);
  }
});

test('GitHub: the same mapping; only INPUT_* is removed', async () => {
  const dir = tempDir();
  const run = await runEntry(githubEntry, cleanEnv({
    GITHUB_ACTIONS: 'true',
    ORCHPREP_PATH: fakeOrchprep,
    FAKE_RECORD: path.join(dir, 'record.json'),
    INPUT_MODE: 'resume',
    INPUT_SANDBOX: 'ready',
    ...SECRETS,
  }), { cwd: dir });

  assert.equal(run.code, 0, run.stdout + run.stderr);
  const record = JSON.parse(fs.readFileSync(path.join(dir, 'record.json'), 'utf8'));
  assert.deepEqual(record.argv, ['resume']);
  assert.equal(record.env.ORCHPREP_SANDBOX, 'ready');
  assert.equal(record.env.ORCHPREP_SQL_PASSWORD, SECRETS.INPUT_SQLPASSWORD);
  assert.deepEqual(Object.keys(record.env).filter((k) => /^INPUT_/i.test(k)), []);
  assert.ok(!run.lines.some((l) => l.startsWith('::error')), run.stdout);
});

const crashSentence = (code) => `orchprep ended unexpectedly with exit code ${code} (a crash?): see the log above.`;
for (const [fake, expected, sentence] of [
  [{ FAKE_EXIT: '0' }, 0, null],
  [{ FAKE_EXIT: '1' }, 1, 'A prerequisite is unmet: see the report (the log above; its JSON at the reportPath output). orchprep exit code 1.'],
  [{ FAKE_EXIT: '2' }, 2, 'orchprep stopped on a usage or configuration error: see the log above. orchprep exit code 2.'],
  [{ FAKE_EXIT: '3' }, 3, 'A check could not be evaluated (and none is unmet): see the report. orchprep exit code 3.'],
  [{ FAKE_EXIT: '130' }, 130, 'orchprep was cancelled. Exit code 130.'],
  [{ FAKE_SIGNAL: 'SIGTERM' }, 130, 'orchprep was cancelled. Exit code 130.'],
  [{ FAKE_EXIT: '134' }, 134, crashSentence(134)],
]) {
  const label = fake.FAKE_SIGNAL ? `killed by ${fake.FAKE_SIGNAL}` : `exit ${fake.FAKE_EXIT}`;
  test(`orchprep ${label} without reporting it: Azure gets one error issue and one task.complete and exit 0; GitHub one ::error and exit ${expected}`, { skip: fake.FAKE_SIGNAL && process.platform === 'win32' }, async () => {
    const dir = tempDir();
    const azure = await runEntry(azureEntry, azureEnv(dir, fake), { cwd: dir });
    const github = await runEntry(githubEntry, cleanEnv({ GITHUB_ACTIONS: 'true', ORCHPREP_PATH: fakeOrchprep, INPUT_MODE: 'check', ...fake }), { cwd: dir });

    // The Node handler reads a non-zero exit as an infrastructure failure ("Exit code N returned from process").
    assert.equal(azure.code, 0, azure.stdout);
    assert.equal(github.code, expected, github.stdout);
    const azureResult = azure.lines.filter((l) => l.startsWith('##vso[task.complete') || l.startsWith('##vso[task.logissue'));
    const githubErrors = github.lines.filter((l) => l.startsWith('::error'));
    if (sentence === null) {
      assert.deepEqual(azureResult, []);
      assert.deepEqual(githubErrors, []);
    } else {
      assert.deepEqual(azureResult, [`##vso[task.logissue type=error;]${sentence}`, `##vso[task.complete result=Failed;]${sentence}`]);
      assert.equal(azure.lines.at(-1), azureResult[1], 'the result is the last line');
      assert.deepEqual(githubErrors, [`::error title=orchprep::${sentence}`]);
    }
  });
}

test('orchprep reported its own result: the launcher adds no second task.complete or ::error', async () => {
  const dir = tempDir();
  const complete = "##vso[task.complete result=Failed;]orchprep: the input 'drainTimeout' (ORCHPREP_DRAIN_TIMEOUT): 'ten minutes' is not a duration";
  const azure = await runEntry(azureEntry, azureEnv(dir, { FAKE_EXIT: '2', FAKE_PRINT: complete }), { cwd: dir });
  const annotation = "::error title=orchprep::the input 'drainTimeout' (ORCHPREP_DRAIN_TIMEOUT): 'ten minutes' is not a duration";
  const github = await runEntry(githubEntry, cleanEnv({ GITHUB_ACTIONS: 'true', ORCHPREP_PATH: fakeOrchprep, INPUT_MODE: 'check', FAKE_EXIT: '2', FAKE_PRINT: annotation }), { cwd: dir });

  assert.equal(azure.code, 0, azure.stdout);
  assert.deepEqual(azure.lines.filter((l) => l.startsWith('##vso[task.complete')), [complete]);
  assert.deepEqual(azure.lines.filter((l) => l.startsWith('##vso[task.logissue')), []);
  assert.equal(github.code, 2, github.stdout);
  assert.deepEqual(github.lines.filter((l) => l.startsWith('::error')), [annotation]);
});

test('an unknown mode fails the task before orchprep starts', async () => {
  const dir = tempDir();
  const run = await runEntry(azureEntry, azureEnv(dir, { INPUT_MODE: 'upgrade' }), { cwd: dir });
  assert.equal(run.code, 0, 'on Azure the result goes through task.complete');
  assert.deepEqual(run.lines, [
    "##vso[task.logissue type=error;]The input 'mode' is 'upgrade': use check, prepare, resume.",
    "##vso[task.complete result=Failed;]The input 'mode' is 'upgrade': use check, prepare, resume.",
  ]);
  assert.ok(!fs.existsSync(path.join(dir, 'record.json')), 'orchprep was started');
});

test('a missing mode fails with exit 2 (GitHub does not enforce required)', async () => {
  const run = await runEntry(githubEntry, cleanEnv({ GITHUB_ACTIONS: 'true', ORCHPREP_PATH: fakeOrchprep }));
  assert.equal(run.code, 2);
  assert.deepEqual(run.lines, ["::error title=orchprep::The input 'mode' is required: use check, prepare, resume."]);
});

test('orchprep not found: one error naming what was looked for', async () => {
  const dir = tempDir();
  const run = await runEntry(azureEntry, azureEnv(dir, { ORCHPREP_PATH: path.join(dir, 'missing.dll') }), { cwd: dir });
  assert.equal(run.code, 0);
  assert.deepEqual(run.lines, [
    `##vso[task.logissue type=error;]ORCHPREP_PATH is set but names no file: ${path.join(dir, 'missing.dll')}`,
    `##vso[task.complete result=Failed;]ORCHPREP_PATH is set but names no file: ${path.join(dir, 'missing.dll')}`,
  ]);
});

test('an executable that cannot start: one error naming the error', { skip: process.platform === 'win32' }, async () => {
  const dir = tempDir();
  const notExecutable = path.join(dir, 'orchprep');
  fs.writeFileSync(notExecutable, 'not a program', { mode: 0o644 });
  const run = await runEntry(azureEntry, azureEnv(dir, { ORCHPREP_PATH: notExecutable }), { cwd: dir });
  assert.equal(run.code, 0);
  assert.equal(run.lines.at(-1), `##vso[task.complete result=Failed;]orchprep could not be started (EACCES): ${notExecutable}`);
});

test('SIGINT to the launcher reaches orchprep; the task fails as cancelled', { skip: process.platform === 'win32' && 'POSIX signals' }, async () => {
  const dir = tempDir();
  const marker = path.join(dir, 'sigint-marker');
  let sent = false;
  const run = await runEntry(azureEntry, azureEnv(dir, { FAKE_WAIT_SIGINT: '1', FAKE_MARKER: marker }), {
    cwd: dir,
    timeoutMs: 10000,
    // Send only once the fake has its handler installed: it says so on stdout.
    onStdout: (text, child) => {
      if (!sent && text.includes('fake: waiting')) {
        sent = true;
        child.kill('SIGINT');
      }
    },
  });
  assert.ok(sent, run.stdout);
  assert.equal(fs.readFileSync(marker, 'utf8'), 'SIGINT');
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.equal(run.lines.at(-1), '##vso[task.complete result=Failed;]orchprep was cancelled. Exit code 130.');
});
