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
  test(`exit ${code}: Azure task.complete Failed and GitHub ::error`, () => {
    assert.deepEqual(launcher.resultLines('azure', Number(code)), [`##vso[task.complete result=Failed;]${sentence}`]);
    assert.deepEqual(launcher.resultLines('github', Number(code)), [`::error title=orchprep::${sentence}`]);
    assert.deepEqual(launcher.resultLines('plain', Number(code)), [`orchprep: ${sentence}`]);
  });
}

test('escaping: % first, then CR and LF', () => {
  assert.equal(launcher.escapeAzureMessage('100%\r\nnext'), '100%AZP25%0D%0Anext');
  assert.equal(launcher.escapeGitHubMessage('100%\r\nnext'), '100%25%0D%0Anext');
  assert.equal(launcher.escapeAzureMessage('%0A'), '%AZP250A', 'an escape in the text is not taken for one');
  assert.deepEqual(launcher.resultLines('azure', 2, 'a\nb'), ['##vso[task.complete result=Failed;]a%0Ab']);
  assert.deepEqual(launcher.resultLines('github', 2, '50%'), ['::error title=orchprep::50%25']);
});

test('dialect: Azure when TF_BUILD is true in any case, GitHub when GITHUB_ACTIONS=true, else plain', () => {
  assert.equal(launcher.resultDialect('azure-pipelines', { TF_BUILD: 'True' }), 'azure');
  assert.equal(launcher.resultDialect('azure-pipelines', { TF_BUILD: 'TRUE' }), 'azure');
  assert.equal(launcher.resultDialect('azure-pipelines', {}), 'plain');
  assert.equal(launcher.resultDialect('github', { GITHUB_ACTIONS: 'true' }), 'github');
  assert.equal(launcher.resultDialect('github', { TF_BUILD: 'True' }), 'plain');
});
