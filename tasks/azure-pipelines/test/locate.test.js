'use strict';
// Where the launcher finds orchprep, with a fake file system.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('path');
const launcher = require('../launcher');

const launcherDir = path.join(path.sep, 'agent', 'tasks', 'OrchUpgradePrep', '0.1.0');
const existsOnly = (...files) => (p) => files.includes(p);

test('runtime ids for the four supported platforms, none for others', () => {
  assert.equal(launcher.runtimeId('win32', 'x64'), 'win-x64');
  assert.equal(launcher.runtimeId('win32', 'arm64'), 'win-arm64');
  assert.equal(launcher.runtimeId('linux', 'x64'), 'linux-x64');
  assert.equal(launcher.runtimeId('linux', 'arm64'), 'linux-arm64');
  assert.equal(launcher.runtimeId('darwin', 'arm64'), undefined);
  assert.equal(launcher.runtimeId('linux', 'ia32'), undefined);
});

for (const [platform, arch, rid, exe] of [
  ['win32', 'x64', 'win-x64', 'orchprep.exe'],
  ['win32', 'arm64', 'win-arm64', 'orchprep.exe'],
  ['linux', 'x64', 'linux-x64', 'orchprep'],
  ['linux', 'arm64', 'linux-arm64', 'orchprep'],
]) {
  test(`bundled binary on ${platform}/${arch}: bin/${rid}/${exe}, started with only the mode`, () => {
    const bundled = path.join(launcherDir, 'bin', rid, exe);
    const found = launcher.locateOrchprep({ env: {}, system: 'azure-pipelines', mode: 'check', launcherDir, platform, arch, fileExists: existsOnly(bundled) });
    assert.equal(found.command, bundled);
    assert.deepEqual(found.args, ['check']);
  });
}

test('ORCHPREP_PATH wins: .dll through dotnet, .js through this node, anything else as is', () => {
  const dll = path.join(path.sep, 'b', 'orchprep.dll');
  const js = path.join(path.sep, 'b', 'fake.js');
  const exe = path.join(path.sep, 'b', 'orchprep');
  const bundled = path.join(launcherDir, 'bin', 'linux-x64', 'orchprep');
  const opts = (p) => ({ env: { ORCHPREP_PATH: p }, system: 'azure-pipelines', mode: 'prepare', launcherDir, platform: 'linux', arch: 'x64', fileExists: existsOnly(dll, js, exe, bundled) });
  assert.deepEqual([launcher.locateOrchprep(opts(dll)).command, launcher.locateOrchprep(opts(dll)).args], ['dotnet', [dll, 'prepare']]);
  assert.deepEqual([launcher.locateOrchprep(opts(js)).command, launcher.locateOrchprep(opts(js)).args], [process.execPath, [js, 'prepare']]);
  assert.deepEqual([launcher.locateOrchprep(opts(exe)).command, launcher.locateOrchprep(opts(exe)).args], [exe, ['prepare']]);
});

test('ORCHPREP_PATH naming no file is an error, not a fallback', () => {
  assert.throws(
    () => launcher.locateOrchprep({ env: { ORCHPREP_PATH: '/nope/orchprep.dll' }, system: 'github', mode: 'check', launcherDir, platform: 'linux', arch: 'x64', fileExists: () => false }),
    (e) => e instanceof launcher.NotFoundError && e.message === 'ORCHPREP_PATH is set but names no file: /nope/orchprep.dll',
  );
});

test('Azure: nothing bundled is an error naming what was looked for (no tool cache there)', () => {
  assert.throws(
    () => launcher.locateOrchprep({ env: { RUNNER_TOOL_CACHE: '/cache' }, system: 'azure-pipelines', mode: 'check', launcherDir, platform: 'linux', arch: 'x64', fileExists: () => false }),
    (e) => e instanceof launcher.NotFoundError &&
      e.message === `orchprep was not found. Looked for: ORCHPREP_PATH (not set); the bundled ${path.join(launcherDir, 'bin', 'linux-x64', 'orchprep')}.`,
  );
});

test('unsupported platform is named', () => {
  assert.throws(
    () => launcher.locateOrchprep({ env: {}, system: 'github', mode: 'check', launcherDir, platform: 'darwin', arch: 'arm64', fileExists: () => false }),
    /not darwin-arm64; set ORCHPREP_PATH/,
  );
});

const actionRoot = path.join(path.sep, 'runner', '_actions', 'org', 'orchprep', 'v1');
const actionLauncherDir = path.join(actionRoot, 'tasks', 'azure-pipelines');
const readFile = (p) => {
  if (p === path.join(actionRoot, 'task.json')) return JSON.stringify({ version: { Major: 0, Minor: 1, Patch: 0 } });
  throw new Error('ENOENT');
};

test('GitHub: a cached build under RUNNER_TOOL_CACHE/orchprep/<ref>/<rid>/ is used', () => {
  const cached = path.join('/tc', 'orchprep', 'v1', 'linux-x64', 'orchprep');
  const found = launcher.locateOrchprep({ env: { RUNNER_TOOL_CACHE: '/tc', GITHUB_ACTION_REF: 'v1' }, system: 'github', mode: 'check', launcherDir: actionLauncherDir, platform: 'linux', arch: 'x64', fileExists: existsOnly(cached), readFile });
  assert.equal(found.kind, 'file');
  assert.equal(found.command, cached);
});

test('GitHub: no cache but dotnet and the source: publish into the cache, then run from it', () => {
  const csproj = path.join(actionRoot, 'src', 'OrchUpgradePrep.Cli', 'OrchUpgradePrep.Cli.csproj');
  const dotnet = path.join('/usr/bin', 'dotnet');
  const found = launcher.locateOrchprep({ env: { RUNNER_TOOL_CACHE: '/tc', PATH: '/usr/bin' }, system: 'github', mode: 'check', launcherDir: actionLauncherDir, platform: 'linux', arch: 'x64', fileExists: existsOnly(csproj, dotnet), readFile });
  const cacheDir = path.join('/tc', 'orchprep', '0.1.0', 'linux-x64');
  assert.equal(found.kind, 'publish');
  assert.equal(found.cacheDir, cacheDir);
  assert.equal(found.command, path.join(cacheDir, 'orchprep'));
  assert.deepEqual(launcher.publishArgs(found.csproj, found.rid, 'out'), ['publish', csproj, '-c', 'Release', '-r', 'linux-x64', '--self-contained', '-p:PublishSingleFile=true', '-o', 'out']);
});

test('GitHub: nothing found names every place looked at', () => {
  assert.throws(
    () => launcher.locateOrchprep({ env: { RUNNER_TOOL_CACHE: '/tc', PATH: '' }, system: 'github', mode: 'check', launcherDir: actionLauncherDir, platform: 'linux', arch: 'x64', fileExists: () => false, readFile }),
    (e) => e instanceof launcher.NotFoundError &&
      e.message.includes(path.join(actionLauncherDir, 'bin', 'linux-x64', 'orchprep')) &&
      e.message.includes(path.join('/tc', 'orchprep', '0.1.0', 'linux-x64', 'orchprep')) &&
      e.message.includes('dotnet not found'),
  );
});

test('action version: the ref as one safe path segment, else task.json', () => {
  assert.equal(launcher.actionVersion({ GITHUB_ACTION_REF: 'releases/v1.2' }, actionRoot, readFile), 'releases_v1.2');
  assert.equal(launcher.actionVersion({}, actionRoot, readFile), '0.1.0');
});

test('findOnPath honours PATHEXT on Windows', () => {
  const hit = path.join('C:\\dotnet', 'dotnet.EXE');
  assert.equal(launcher.findOnPath('dotnet', { PATH: 'C:\\x;C:\\dotnet', PATHEXT: '.COM;.EXE' }, 'win32', existsOnly(hit)), hit);
  assert.equal(launcher.findOnPath('dotnet', { PATH: '/a:/b' }, 'linux', () => false), undefined);
});
