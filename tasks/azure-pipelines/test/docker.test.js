'use strict';
// The action's `image` path: the docker argv it builds (Docker itself is not needed).
const test = require('node:test');
const assert = require('node:assert/strict');
const launcher = require('../launcher');

const parent = {
  PATH: '/usr/bin',
  GITHUB_ACTIONS: 'true',
  GITHUB_WORKSPACE: '/home/runner/work/repo/repo',
  GITHUB_OUTPUT: '/home/runner/work/_temp/_runner_file_commands/set_output_1',
  GITHUB_STEP_SUMMARY: '/home/runner/work/_temp/_runner_file_commands/step_summary_1',
  RUNNER_TEMP: '/home/runner/work/_temp',
  GITHUB_TOKEN: 'ghs_token',
  INPUT_MODE: 'prepare',
  INPUT_IMAGE: 'ghcr.io/org/orchprep:0.1.0',
  INPUT_SQLPASSWORD: 'Sql-Secret-1',
  INPUT_SMKPASSWORD: 'Smk=Secret=2',
  INPUT_DRAINTIMEOUT: '30m',
  ORCHPREP_PATH: '/ignored/orchprep.dll',
};

function build(cwd = '/home/runner/work/repo/repo/deploy') {
  const childEnv = launcher.buildChildEnv(parent, 'github', 'linux');
  return launcher.dockerArgs({ childEnv, image: 'ghcr.io/org/orchprep:0.1.0', mode: 'prepare', cwd });
}

test('docker argv: names only with -e, never a value', () => {
  const args = build();
  const envNames = args.filter((a, i) => args[i - 1] === '-e');
  assert.deepEqual(envNames, [
    'ORCHPREP_DRAIN_TIMEOUT', 'ORCHPREP_SMK_PASSWORD', 'ORCHPREP_SQL_PASSWORD',
    'GITHUB_ACTIONS', 'GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_WORKSPACE', 'RUNNER_TEMP',
  ]);
  for (const name of envNames) assert.ok(!name.includes('='), name);
  for (const secret of ['Sql-Secret-1', 'Smk=Secret=2', 'ghs_token', '30m']) {
    assert.ok(!args.some((a) => a.includes(secret)), `${secret} on docker's argv`);
  }
});

test('docker argv: workspace at the same path and as working dir, the runner files mounted, image then mode last', () => {
  const args = build();
  assert.deepEqual(args.slice(0, 2), ['run', '--rm']);
  const mounts = args.filter((a, i) => args[i - 1] === '-v');
  assert.deepEqual(mounts, [
    '/home/runner/work/repo/repo:/home/runner/work/repo/repo',
    '/home/runner/work/_temp:/home/runner/work/_temp',
    `${parent.GITHUB_OUTPUT}:${parent.GITHUB_OUTPUT}`,
    `${parent.GITHUB_STEP_SUMMARY}:${parent.GITHUB_STEP_SUMMARY}`,
  ]);
  assert.equal(args[args.indexOf('-w') + 1], '/home/runner/work/repo/repo/deploy');
  assert.deepEqual(args.slice(-2), ['ghcr.io/org/orchprep:0.1.0', 'prepare']);
});

test('docker argv: a working directory outside the workspace falls back to the workspace', () => {
  const args = build('/elsewhere');
  assert.equal(args[args.indexOf('-w') + 1], '/home/runner/work/repo/repo');
});

test('docker runs as the runner\'s own user, so the mounted runner folders and files can be written', () => {
  const childEnv = launcher.buildChildEnv(parent, 'github', 'linux');
  const args = launcher.dockerArgs({ childEnv, image: 'img', mode: 'check', cwd: '/home/runner/work/repo/repo', user: '1001:127' });
  assert.deepEqual(args.slice(0, 4), ['run', '--rm', '--user', '1001:127']);
  assert.ok(!launcher.dockerArgs({ childEnv, image: 'img', mode: 'check', cwd: '/w' }).includes('--user'), 'no user where there are no numeric ids');
  assert.equal(launcher.currentUser({ getuid: () => 1001, getgid: () => 127 }), '1001:127');
  assert.equal(launcher.currentUser({}), undefined);
});
