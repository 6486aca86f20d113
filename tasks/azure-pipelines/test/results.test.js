'use strict';
// Exit code -> the exact line each system gets.
const test = require('node:test');
const assert = require('node:assert/strict');
const launcher = require('../launcher');

const sentences = {
  1: 'A prerequisite is unmet: see the report (the log above; its JSON at the reportPath output). orchprep exit code 1.',
  2: 'orchprep stopped on a usage or configuration error: see the log above. orchprep exit code 2.',
  3: 'A check could not be evaluated (and none is unmet): see the report. orchprep exit code 3.',
  130: 'orchprep was cancelled. Exit code 130.',
  134: 'orchprep ended unexpectedly with exit code 134 (a crash?): see the log above.',
};

test('exit 0 adds nothing: orchprep completed the task itself', () => {
  assert.deepEqual(launcher.resultLines('azure', 0), []);
  assert.deepEqual(launcher.resultLines('github', 0), []);
});

for (const [code, sentence] of Object.entries(sentences)) {
  test(`exit ${code} not yet reported: Azure an error issue and task.complete Failed, GitHub ::error`, () => {
    assert.deepEqual(launcher.resultLines('azure', Number(code)), [`##vso[task.logissue type=error;]${sentence}`, `##vso[task.complete result=Failed;]${sentence}`]);
    assert.deepEqual(launcher.resultLines('github', Number(code)), [`::error title=orchprep::${sentence}`]);
    assert.deepEqual(launcher.resultLines('plain', Number(code)), [`orchprep: ${sentence}`]);
  });

  test(`exit ${code} that orchprep reported itself: nothing more`, () => {
    assert.deepEqual(launcher.resultLines('azure', Number(code), undefined, { taskComplete: true }), []);
    assert.deepEqual(launcher.resultLines('github', Number(code), undefined, { error: true }), []);
    // What counts is the system's own form: an ::error line does not complete an Azure task.
    assert.equal(launcher.resultLines('azure', Number(code), undefined, { error: true }).length, 2);
  });
}

test('the launcher exits 0 on Azure (task.complete decides) and with orchprep\'s code elsewhere', () => {
  assert.equal(launcher.launcherExitCode('azure', 1), 0);
  assert.equal(launcher.launcherExitCode('github', 1), 1);
  assert.equal(launcher.launcherExitCode('plain', 2), 2);
});

test('a launcher failure is always said, even after orchprep printed', () => {
  assert.deepEqual(launcher.resultLines('azure', 127, 'not found', { taskComplete: true }),
    ['##vso[task.logissue type=error;]not found', '##vso[task.complete result=Failed;]not found']);
});

test('the stdout watcher passes every byte and sees result lines split across chunks', () => {
  const written = [];
  const watcher = launcher.stdoutWatcher((chunk) => written.push(chunk.toString()));
  watcher.data(Buffer.from('progress\n##vso[task.comp'));
  watcher.data(Buffer.from('lete result=Failed;]x\r\n::err'));
  watcher.data(Buffer.from('or::y'));
  watcher.end();
  assert.equal(written.join(''), 'progress\n##vso[task.complete result=Failed;]x\r\n::error::y');
  assert.deepEqual(watcher.seen, { taskComplete: true, error: true });
  const quiet = launcher.stdoutWatcher(() => {});
  quiet.data(Buffer.from('text ##vso[task.complete result=Failed;] mid-line\n'));
  assert.deepEqual(quiet.seen, { taskComplete: false, error: false });
});

test('escaping: % first, then CR and LF', () => {
  assert.equal(launcher.escapeAzureMessage('100%\r\nnext'), '100%AZP25%0D%0Anext');
  assert.equal(launcher.escapeGitHubMessage('100%\r\nnext'), '100%25%0D%0Anext');
  assert.equal(launcher.escapeAzureMessage('%0A'), '%AZP250A', 'an escape in the text is not taken for one');
  assert.deepEqual(launcher.resultLines('azure', 2, 'a\nb'), ['##vso[task.logissue type=error;]a%0Ab', '##vso[task.complete result=Failed;]a%0Ab']);
  assert.deepEqual(launcher.resultLines('github', 2, '50%'), ['::error title=orchprep::50%25']);
});

test('dialect: Azure when TF_BUILD is true in any case, GitHub when GITHUB_ACTIONS=true, else plain', () => {
  assert.equal(launcher.resultDialect('azure-pipelines', { TF_BUILD: 'True' }), 'azure');
  assert.equal(launcher.resultDialect('azure-pipelines', { TF_BUILD: 'TRUE' }), 'azure');
  assert.equal(launcher.resultDialect('azure-pipelines', {}), 'plain');
  assert.equal(launcher.resultDialect('github', { GITHUB_ACTIONS: 'true' }), 'github');
  assert.equal(launcher.resultDialect('github', { TF_BUILD: 'True' }), 'plain');
});
