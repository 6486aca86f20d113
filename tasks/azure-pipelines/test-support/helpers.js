'use strict';
// Lives outside test/ because node --test runs every .js file under a test/ folder as a test file.
// Shared by the launcher tests: paths, a clean environment, and running an entry script as the agent would.
const childProcess = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const azureEntry = path.join(repoRoot, 'tasks', 'azure-pipelines', 'index.js');
const githubEntry = path.join(repoRoot, 'tasks', 'github-action', 'index.js');
const fakeOrchprep = path.join(__dirname, 'fake-orchprep.js');

/** The test process's environment without anything a surrounding CI system or developer shell sets for orchprep. */
function cleanEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(INPUT_|ORCHPREP_|SECRET_|ENDPOINT_AUTH_|GITHUB_|FAKE_)/i.test(k) || /^(TF_BUILD|RUNNER_TOOL_CACHE)$/i.test(k)) continue;
    env[k] = v;
  }
  return Object.assign(env, extra);
}

const made = [];
// Scratch folders go when the test file's process ends.
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orchprep-launcher-'));
  made.push(dir);
  return dir;
}

/**
 * Start `node <entry>` and collect its output. onStdout(text, child) sees output as it arrives.
 * Bounded: killed after timeoutMs so a broken test fails instead of hanging.
 */
function runEntry(entry, env, { cwd, onStdout, timeoutMs = 15000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn(process.execPath, [entry], { env, cwd: cwd || os.tmpdir() });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`launcher did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (d) => {
      stdout += d;
      if (onStdout) onStdout(stdout, child);
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, lines: stdout.split(/\r?\n/).filter(Boolean) });
    });
  });
}

module.exports = { repoRoot, azureEntry, githubEntry, fakeOrchprep, cleanEnv, tempDir, runEntry };
