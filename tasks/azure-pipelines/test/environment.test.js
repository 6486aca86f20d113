'use strict';
// What the child's environment keeps, loses and gains.
const test = require('node:test');
const assert = require('node:assert/strict');
const launcher = require('../launcher');

const parent = {
  PATH: '/usr/bin',
  AGENT_TEMPDIRECTORY: '/agent/_temp',
  INPUT_MODE: 'check',
  INPUT_SQLPASSWORD: 's3cret',
  INPUT_UNRELATED: 'x',
  SECRET_ORCHSQLPASSWORD: 's3cret',
  ENDPOINT_AUTH_SYSTEMVSSCONNECTION: '{"token":"t"}',
  ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN: 'job-token',
  ENDPOINT_URL_SYSTEMVSSCONNECTION: 'https://dev.azure.com/org/',
  ORCHPREP_CONFIG: 'inherited.yml',
  ORCHPREP_SANDBOX_PASSWORD: 'kept',
};

test('Azure: INPUT_*, SECRET_* and ENDPOINT_AUTH_* are removed; the rest is inherited; inputs become ORCHPREP_*', () => {
  const child = launcher.buildChildEnv({ ...parent, INPUT_CONFIG: 'given.yml' }, 'azure-pipelines', 'linux');
  assert.deepEqual(child, {
    PATH: '/usr/bin',
    AGENT_TEMPDIRECTORY: '/agent/_temp',
    ENDPOINT_URL_SYSTEMVSSCONNECTION: 'https://dev.azure.com/org/',
    ORCHPREP_CONFIG: 'given.yml',
    ORCHPREP_SANDBOX_PASSWORD: 'kept',
    ORCHPREP_SQL_PASSWORD: 's3cret',
  });
});

test('GitHub: INPUT_* and the runner\'s own service tokens are removed', () => {
  const child = launcher.buildChildEnv(parent, 'github', 'linux');
  assert.equal(Object.keys(child).filter((k) => k.startsWith('INPUT_')).length, 0);
  assert.equal(child.SECRET_ORCHSQLPASSWORD, 's3cret');
  assert.equal(child.ORCHPREP_CONFIG, 'inherited.yml', 'an input not given leaves an inherited variable alone');
  assert.equal(child.ORCHPREP_SQL_PASSWORD, 's3cret');
});

test('Windows: names compare case-insensitively', () => {
  const child = launcher.buildChildEnv({ Path: 'C:\\x', Input_Mode: 'check', input_sqlpassword: 'p', Orchprep_Config: 'old.yml', INPUT_CONFIG: 'new.yml' }, 'azure-pipelines', 'win32');
  assert.deepEqual(child, { Path: 'C:\\x', ORCHPREP_CONFIG: 'new.yml' });
});

test('the removed prefixes are documented ones', () => {
  assert.deepEqual(launcher.REMOVED_PREFIXES['azure-pipelines'], ['INPUT_', 'SECRET_', 'ENDPOINT_AUTH_']);
  assert.deepEqual(launcher.REMOVED_PREFIXES.github, ['INPUT_']);
});

test('GitHub: the runner\'s service tokens (ACTIONS_RUNTIME_TOKEN, OIDC request token, …) never reach orchprep', () => {
  const tokens = Object.fromEntries(launcher.REMOVED_NAMES.github.map((n) => [n, `value-of-${n}`]));
  const child = launcher.buildChildEnv({ ...tokens, PATH: '/usr/bin', GITHUB_ACTIONS: 'true' }, 'github', 'linux');
  assert.deepEqual(child, { PATH: '/usr/bin', GITHUB_ACTIONS: 'true' });
  assert.ok(launcher.REMOVED_NAMES.github.includes('ACTIONS_RUNTIME_TOKEN'));
  assert.ok(launcher.REMOVED_NAMES.github.includes('ACTIONS_RUNTIME_URL'));
  const windows = launcher.buildChildEnv({ Actions_Runtime_Token: 't', Path: 'C:\\x' }, 'github', 'win32');
  assert.deepEqual(windows, { Path: 'C:\\x' });
});
