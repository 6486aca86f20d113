'use strict';
// Launcher shared by the Azure Pipelines task (task.json, Node24/Node20_1 handlers) and the GitHub action
// (action.yml, node24). It turns the system's INPUT_* variables into orchprep's ORCHPREP_* variables and starts
// `orchprep <mode>` with nothing else on argv, so no input value (and no secret) is ever on a command line.
// Node built-ins only: the task and the action ship this file as is, without node_modules.

const childProcess = require('child_process');
const fs = require('fs');
const path = require('path');

/**
 * The task.json inputs, in task.json order (a test keeps them equal). `env` is the variable orchprep reads
 * (RunRequestResolver: ORCHPREP_<OPTION>; SecretEnvironment for the secrets). `mode` is argv, not env.
 * kind: 'mode' | 'text' | 'boolean' | 'secret'.
 */
const INPUTS = Object.freeze([
  { name: 'mode', env: null, kind: 'mode' },
  { name: 'config', env: 'ORCHPREP_CONFIG', kind: 'text' },
  { name: 'environment', env: 'ORCHPREP_ENVIRONMENT', kind: 'text' },
  { name: 'target', env: 'ORCHPREP_TARGET', kind: 'text' },
  { name: 'drain', env: 'ORCHPREP_DRAIN', kind: 'text' },
  { name: 'drainTimeout', env: 'ORCHPREP_DRAIN_TIMEOUT', kind: 'text' },
  { name: 'closePrograms', env: 'ORCHPREP_CLOSE_PROGRAMS', kind: 'boolean' },
  { name: 'forceStop', env: 'ORCHPREP_FORCE_STOP', kind: 'boolean' },
  { name: 'backupDir', env: 'ORCHPREP_BACKUP_DIR', kind: 'text' },
  { name: 'verify', env: 'ORCHPREP_VERIFY', kind: 'text' },
  { name: 'restoreServer', env: 'ORCHPREP_RESTORE_SERVER', kind: 'text' },
  { name: 'ifPresent', env: 'ORCHPREP_IF_PRESENT', kind: 'boolean' },
  { name: 'only', env: 'ORCHPREP_ONLY', kind: 'text' },
  { name: 'skip', env: 'ORCHPREP_SKIP', kind: 'text' },
  { name: 'failOnWarning', env: 'ORCHPREP_FAIL_ON_WARNING', kind: 'boolean' },
  { name: 'publishCheckRun', env: 'ORCHPREP_PUBLISH_CHECK_RUN', kind: 'boolean' },
  { name: 'checkTimeout', env: 'ORCHPREP_CHECK_TIMEOUT', kind: 'text' },
  { name: 'deadline', env: 'ORCHPREP_DEADLINE', kind: 'text' },
  { name: 'output', env: 'ORCHPREP_OUTPUT', kind: 'text' },
  { name: 'format', env: 'ORCHPREP_FORMAT', kind: 'text' },
  { name: 'verbosity', env: 'ORCHPREP_VERBOSITY', kind: 'text' },
  { name: 'sandbox', env: 'ORCHPREP_SANDBOX', kind: 'text' },
  { name: 'sqlPassword', env: 'ORCHPREP_SQL_PASSWORD', kind: 'secret' },
  { name: 'wsUser', env: 'ORCHPREP_WS_USER', kind: 'secret' },
  { name: 'wsPassword', env: 'ORCHPREP_WS_PASSWORD', kind: 'secret' },
  { name: 'smkPassword', env: 'ORCHPREP_SMK_PASSWORD', kind: 'secret' },
]);

/** Inputs only action.yml has: how to run orchprep, not what it does. */
const ACTION_ONLY_INPUTS = Object.freeze([{ name: 'image', env: null, kind: 'image' }]);

const MODES = Object.freeze(['check', 'prepare', 'resume']);

/** Exit codes of orchprep (README.md#exit-codes) plus the launcher's own. */
const EXIT = Object.freeze({ met: 0, unmet: 1, usage: 2, error: 3, cancelled: 130, notStarted: 127, launcherBug: 70 });

/** Variable prefixes removed from the child's environment, per system (see docs/launcher.md). */
const REMOVED_PREFIXES = Object.freeze({
  // INPUT_*: the values reach orchprep as ORCHPREP_*; keeping both would hand each secret over twice.
  // SECRET_* / ENDPOINT_AUTH_*: secret variables and service-connection credentials (the job token among them)
  // that orchprep does not read; least privilege for the child.
  'azure-pipelines': ['INPUT_', 'SECRET_', 'ENDPOINT_AUTH_'],
  github: ['INPUT_'],
});

/**
 * Variables removed by exact name, per system: the GitHub runner hands every action the tokens of its own services
 * (artifacts, cache, results, OIDC). orchprep uses none of them; least privilege, as on the Azure side.
 */
const REMOVED_NAMES = Object.freeze({
  'azure-pipelines': [],
  github: [
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_RUNTIME_URL',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    'ACTIONS_CACHE_URL',
    'ACTIONS_RESULTS_URL',
  ],
});

/** Upper snake case of a camelCase input name: drainTimeout -> DRAIN_TIMEOUT. */
function upperSnake(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** The variable each system sets for an input: upper-cased, space (and '.', Azure) as '_'. */
function inputVariableName(name) {
  return 'INPUT_' + name.replace(/[ .]/g, '_').toUpperCase();
}

/** An input's value, or undefined when not given (unset, empty or whitespace: the CLI then uses the config). */
function readInput(env, name) {
  const raw = env[inputVariableName(name)];
  if (raw === undefined || raw === null || String(raw).trim() === '') {
    return undefined;
  }
  return String(raw);
}

/** Thrown for a usage problem the launcher finds itself (exit 2). */
class UsageError extends Error {}

/** Thrown when no orchprep can be found or started (exit 127). */
class NotFoundError extends Error {}

/** The mode, validated here because neither system enforces `required`. */
function readMode(env) {
  const raw = readInput(env, 'mode');
  if (raw === undefined) {
    throw new UsageError(`The input 'mode' is required: use ${MODES.join(', ')}.`);
  }
  const mode = raw.trim().toLowerCase();
  if (!MODES.includes(mode)) {
    // The value of mode is not a secret (a pickList); showing it helps fix a typo.
    throw new UsageError(`The input 'mode' is '${raw.trim()}': use ${MODES.join(', ')}.`);
  }
  return mode;
}

/**
 * The ORCHPREP_* variables for the given inputs. Text is trimmed (the CLI trims too); secrets are kept verbatim
 * (a password may end in a space); booleans are normalised to true/false, anything else passes through so
 * orchprep names the variable in its error.
 */
function mapInputs(env) {
  const mapped = {};
  for (const input of INPUTS) {
    if (!input.env) {
      continue;
    }
    const value = readInput(env, input.name);
    if (value === undefined) {
      continue;
    }
    if (input.kind === 'boolean') {
      const v = value.trim();
      mapped[input.env] = /^true$/i.test(v) ? 'true' : /^false$/i.test(v) ? 'false' : v;
    } else if (input.kind === 'secret') {
      mapped[input.env] = value;
    } else {
      mapped[input.env] = value.trim();
    }
  }
  return mapped;
}

/** True when `key` starts with `prefix`; Windows variable names are case-insensitive. */
function hasPrefix(key, prefix, platform) {
  return platform === 'win32' ? key.toUpperCase().startsWith(prefix) : key.startsWith(prefix);
}

/**
 * The child's environment: the parent's, minus the system's removed prefixes (REMOVED_PREFIXES), plus the
 * mapped ORCHPREP_* values (which replace inherited ones of the same name).
 */
function buildChildEnv(parentEnv, system, platform) {
  const prefixes = REMOVED_PREFIXES[system] || REMOVED_PREFIXES.github;
  const names = REMOVED_NAMES[system] || REMOVED_NAMES.github;
  const mapped = mapInputs(parentEnv);
  const child = {};
  for (const [key, value] of Object.entries(parentEnv)) {
    if (value === undefined || prefixes.some((p) => hasPrefix(key, p, platform))) {
      continue;
    }
    if (names.includes(platform === 'win32' ? key.toUpperCase() : key)) {
      continue;
    }
    // On Windows an inherited `Orchprep_Config` would collide with ORCHPREP_CONFIG: drop it.
    if (platform === 'win32' && Object.keys(mapped).includes(key.toUpperCase()) && !(key in mapped)) {
      continue;
    }
    child[key] = value;
  }
  return Object.assign(child, mapped);
}

/** win-x64 / win-arm64 / linux-x64 / linux-arm64, or undefined for a platform orchprep is not built for. */
function runtimeId(platform, arch) {
  const os = platform === 'win32' ? 'win' : platform === 'linux' ? 'linux' : undefined;
  const cpu = arch === 'x64' ? 'x64' : arch === 'arm64' ? 'arm64' : undefined;
  return os && cpu ? `${os}-${cpu}` : undefined;
}

function executableName(platform) {
  return platform === 'win32' ? 'orchprep.exe' : 'orchprep';
}

function defaultFileExists(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A program on PATH (PATHEXT on Windows), or undefined. */
function findOnPath(name, env, platform, fileExists = defaultFileExists) {
  const sep = platform === 'win32' ? ';' : ':';
  const pathValue = env.PATH || env.Path || '';
  const exts = platform === 'win32' ? (env.PATHEXT || '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const dir of pathValue.split(sep).filter(Boolean)) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (fileExists(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** How to start orchprep from an explicit file: .dll via dotnet, .js via this node (test/dev hook), else as is. */
function commandForFile(file, mode) {
  const lower = file.toLowerCase();
  if (lower.endsWith('.dll')) {
    return { command: 'dotnet', args: [file, mode], display: `dotnet ${file}` };
  }
  if (lower.endsWith('.js')) {
    return { command: process.execPath, args: [file, mode], display: `node ${file}` };
  }
  return { command: file, args: [mode], display: file };
}

/** The cache version folder: the action ref, else the action's package version, else task.json's. */
function actionVersion(env, actionRoot, readFile = (p) => fs.readFileSync(p, 'utf8')) {
  const ref = (env.GITHUB_ACTION_REF || '').trim();
  if (ref) {
    // A ref is a tag, branch or SHA; keep it a single safe path segment.
    return ref.replace(/[^A-Za-z0-9._-]/g, '_');
  }
  try {
    const pkg = JSON.parse(readFile(path.join(actionRoot, 'package.json')));
    if (pkg.version) return String(pkg.version);
  } catch {
    // No package.json: fall back to task.json.
  }
  try {
    const v = JSON.parse(readFile(path.join(actionRoot, 'task.json'))).version;
    return `${v.Major}.${v.Minor}.${v.Patch}`;
  } catch {
    return '0.0.0';
  }
}

/**
 * Where orchprep is, in order: ORCHPREP_PATH; the bundled bin/<rid>/; (GitHub) the tool cache, or a source
 * build to publish into it. Returns
 *   { kind: 'file', command, args, display } | { kind: 'publish', csproj, cacheDir, file, ... }
 * or throws NotFoundError naming every place it looked.
 */
function locateOrchprep(options) {
  const { env, system, mode, launcherDir, platform, arch } = options;
  const fileExists = options.fileExists || defaultFileExists;
  const looked = [];

  const explicit = (env.ORCHPREP_PATH || '').trim();
  if (explicit) {
    if (!fileExists(explicit)) {
      throw new NotFoundError(`ORCHPREP_PATH is set but names no file: ${explicit}`);
    }
    return { kind: 'file', ...commandForFile(explicit, mode) };
  }

  const rid = runtimeId(platform, arch);
  if (!rid) {
    throw new NotFoundError(`orchprep is built for win-x64, win-arm64, linux-x64 and linux-arm64, not ${platform}-${arch}; set ORCHPREP_PATH to a build of your own.`);
  }

  const exe = executableName(platform);
  const bundled = path.join(launcherDir, 'bin', rid, exe);
  looked.push(`the bundled ${bundled}`);
  if (fileExists(bundled)) {
    return { kind: 'file', ...commandForFile(bundled, mode) };
  }

  if (system === 'github') {
    const actionRoot = options.actionRoot || path.resolve(launcherDir, '..', '..');
    const toolCache = (env.RUNNER_TOOL_CACHE || '').trim();
    if (toolCache) {
      const cacheDir = path.join(toolCache, 'orchprep', actionVersion(env, actionRoot, options.readFile), rid);
      const cached = path.join(cacheDir, exe);
      looked.push(`the tool cache ${cached}`);
      if (fileExists(cached)) {
        return { kind: 'file', ...commandForFile(cached, mode) };
      }
      const csproj = path.join(actionRoot, 'src', 'OrchUpgradePrep.Cli', 'OrchUpgradePrep.Cli.csproj');
      const dotnet = findOnPath('dotnet', env, platform, fileExists);
      looked.push(`a source build (${csproj} with dotnet on PATH${dotnet ? '' : ': dotnet not found'})`);
      if (dotnet && fileExists(csproj)) {
        return { kind: 'publish', dotnet, csproj, rid, cacheDir, file: cached, ...commandForFile(cached, mode) };
      }
    } else {
      looked.push('the tool cache (RUNNER_TOOL_CACHE is not set)');
    }
  }

  throw new NotFoundError(`orchprep was not found. Looked for: ORCHPREP_PATH (not set); ${looked.join('; ')}.`);
}

/** dotnet publish argv for the tool cache (into a staging folder, renamed when complete). */
function publishArgs(csproj, rid, outDir) {
  return ['publish', csproj, '-c', 'Release', '-r', rid, '--self-contained', '-p:PublishSingleFile=true', '-o', outDir];
}

/** True when `inner` is `outer` or below it. */
function isWithin(inner, outer) {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * docker run argv for the action's `image` input. Variables go as `-e NAME` only: docker copies the value
 * from its own environment (the child env), so no value, and no secret, is on docker's command line.
 */
function dockerArgs(options) {
  const { childEnv, image, mode, cwd } = options;
  const args = ['run', '--rm'];
  // As the runner's own user: the mounted workspace, RUNNER_TEMP and the GITHUB_OUTPUT/STEP_SUMMARY files belong to
  // it, and the image's "app" user (1654) could write none of them. Windows has no numeric ids: its containers run as
  // the image's user.
  if (options.user) args.push('--user', options.user);
  const names = Object.keys(childEnv)
    .filter((k) => k.startsWith('ORCHPREP_') && k !== 'ORCHPREP_PATH')
    .sort();
  // GITHUB_ACTIONS makes orchprep speak workflow commands; the two files receive outputs and the summary;
  // RUNNER_TEMP is where reports go by default.
  for (const name of ['GITHUB_ACTIONS', 'GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_WORKSPACE', 'RUNNER_TEMP']) {
    if (childEnv[name]) names.push(name);
  }
  for (const name of names) {
    args.push('-e', name);
  }
  const workspace = childEnv.GITHUB_WORKSPACE || cwd;
  const mounts = [workspace];
  if (childEnv.RUNNER_TEMP && !isWithin(childEnv.RUNNER_TEMP, workspace)) mounts.push(childEnv.RUNNER_TEMP);
  for (const file of [childEnv.GITHUB_OUTPUT, childEnv.GITHUB_STEP_SUMMARY]) {
    // Mounted at the same path so orchprep appends to the runner's own files.
    if (file) mounts.push(file);
  }
  for (const m of mounts) {
    args.push('-v', `${m}:${m}`);
  }
  args.push('-w', isWithin(cwd, workspace) ? cwd : workspace);
  args.push(image, mode);
  return args;
}

/** The sentence for a non-zero exit code. */
function failureMessage(code) {
  switch (code) {
    case EXIT.unmet:
      return 'A prerequisite is unmet: see the report (the log above; its JSON at the reportPath output). orchprep exit code 1.';
    case EXIT.usage:
      return 'orchprep stopped on a usage or configuration error: see the log above. orchprep exit code 2.';
    case EXIT.error:
      return 'A check could not be evaluated (and none is unmet): see the report. orchprep exit code 3.';
    case EXIT.cancelled:
      return 'orchprep was cancelled. Exit code 130.';
    default:
      return `orchprep ended unexpectedly with exit code ${code} (a crash?): see the log above.`;
  }
}

/** Azure logging command message escaping (facts 1.4): '%' first, then CR and LF. */
function escapeAzureMessage(s) {
  return String(s).replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** GitHub workflow command message escaping (facts 3): '%' first, then CR and LF. */
function escapeGitHubMessage(s) {
  return String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** "uid:gid" of this process where the platform has them (POSIX), else undefined. */
function currentUser(proc = process) {
  return typeof proc.getuid === 'function' && typeof proc.getgid === 'function' ? `${proc.getuid()}:${proc.getgid()}` : undefined;
}

/** Which result dialect to speak: the system's, when its marker variable says we run inside it. */
function resultDialect(system, env) {
  if (system === 'azure-pipelines' && /^true$/i.test((env.TF_BUILD || '').trim())) return 'azure';
  if (system === 'github' && (env.GITHUB_ACTIONS || '').trim() === 'true') return 'github';
  return 'plain';
}

/**
 * The line(s) to print for an exit code: none for 0, and none when orchprep already reported the result in the
 * system's own terms (`seen`: it printed a task.complete on Azure, an ::error annotation on GitHub), so the user sees
 * one error naming the cause, not a second generic one after it. Otherwise one error: on Azure an error issue and the
 * task.complete that fails the task (as azure-pipelines-task-lib's setResult does), on GitHub an ::error annotation.
 * `message` is the launcher's own failure (mode invalid, orchprep not found): always printed.
 */
function resultLines(dialect, code, message, seen = {}) {
  if (code === 0 && !message) return [];
  const reported = dialect === 'azure' ? seen.taskComplete : dialect === 'github' ? seen.error : false;
  if (reported && !message) return [];
  const sentence = message || failureMessage(code);
  switch (dialect) {
    case 'azure':
      return [
        `##vso[task.logissue type=error;]${escapeAzureMessage(sentence)}`,
        `##vso[task.complete result=Failed;]${escapeAzureMessage(sentence)}`,
      ];
    case 'github':
      return [`::error title=orchprep::${escapeGitHubMessage(sentence)}`];
    default:
      return [`orchprep: ${sentence}`];
  }
}

/**
 * The launcher's own exit code. On Azure 0 once the result went through task.complete: the Node handler takes a
 * non-zero exit for an infrastructure failure and adds "Exit code N returned from process" to the task's errors
 * (Microsoft's own Node tasks report failure with task.complete and exit 0). Elsewhere orchprep's code, which is
 * what fails a GitHub step.
 */
function launcherExitCode(dialect, code) {
  return dialect === 'azure' ? 0 : code;
}

/**
 * Watches orchprep's stdout while passing every byte through unchanged: notes whether a line starts a task.complete
 * (Azure) or an ::error annotation (GitHub), so the launcher never adds a second one.
 */
function stdoutWatcher(write) {
  const seen = { taskComplete: false, error: false };
  let tail = '';
  const note = (line) => {
    if (line.startsWith('##vso[task.complete')) seen.taskComplete = true;
    if (line.startsWith('::error')) seen.error = true;
  };
  return {
    seen,
    data(chunk) {
      write(chunk);
      const lines = (tail + chunk.toString('utf8')).split('\n');
      tail = lines.pop();
      for (const line of lines) note(line.replace(/^\uFEFF/, ''));
    },
    end() {
      if (tail) note(tail);
      tail = '';
    },
  };
}

/** Publish orchprep into the tool cache once (into a staging folder, renamed when complete). */
function publishToCache(found, io) {
  return new Promise((resolve, reject) => {
    const staging = `${found.cacheDir}.partial-${process.pid}`;
    fs.mkdirSync(path.dirname(found.cacheDir), { recursive: true });
    io.log(`orchprep launcher: publishing ${found.csproj} for ${found.rid} into ${found.cacheDir} (once; later runs reuse it)`);
    const child = childProcess.spawn(found.dotnet, publishArgs(found.csproj, found.rid, staging), { stdio: 'inherit' });
    child.on('error', (err) => reject(new NotFoundError(`dotnet publish could not start: ${err.code || err.message}`)));
    child.on('exit', (code) => {
      if (code !== 0) {
        fs.rmSync(staging, { recursive: true, force: true });
        reject(new NotFoundError(`dotnet publish of ${found.csproj} failed with exit code ${code}.`));
        return;
      }
      try {
        fs.renameSync(staging, found.cacheDir);
      } catch (err) {
        // Another job published the same version meanwhile: use theirs.
        fs.rmSync(staging, { recursive: true, force: true });
        if (!defaultFileExists(found.file)) {
          reject(new NotFoundError(`publishing into ${found.cacheDir} failed: ${err.message}`));
          return;
        }
      }
      resolve();
    });
  });
}

/**
 * Start the child (stdin and stderr inherited, stdout watched and passed through) and forward SIGINT/SIGTERM.
 * Resolves with { code, seen } once its output is drained (code 130 when it died by a signal), or rejects with the
 * spawn error.
 */
function spawnAndWait(command, args, childEnv, cwd, write = (chunk) => process.stdout.write(chunk)) {
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn(command, args, { stdio: ['inherit', 'pipe', 'inherit'], env: childEnv, cwd });
    const watcher = stdoutWatcher(write);
    child.stdout.on('data', (chunk) => watcher.data(chunk));
    const forward = (signal) => () => {
      // On Windows the console's Ctrl-C already reaches the child, and kill() would terminate it outright
      // (no chance to write its partial report): there the handler only keeps the launcher alive until it ends.
      if (process.platform !== 'win32' && child.exitCode === null && child.signalCode === null) {
        try {
          child.kill(signal);
        } catch {
          // Already gone.
        }
      }
    };
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const done = () => {
      process.removeListener('SIGINT', onInt);
      process.removeListener('SIGTERM', onTerm);
    };
    child.on('error', (err) => {
      done();
      reject(err);
    });
    // 'close', not 'exit': every byte of stdout has been passed on (and looked at) by then.
    child.on('close', (code, signal) => {
      done();
      watcher.end();
      resolve({ code: code === null || signal ? EXIT.cancelled : code, seen: watcher.seen });
    });
  });
}

/**
 * Run orchprep for `system` ('azure-pipelines' | 'github'). Resolves with the exit code to exit with.
 * options (tests): env, cwd, platform, arch, launcherDir, out (line writer).
 */
async function run(system, options = {}) {
  const env = options.env || process.env;
  const cwd = options.cwd || process.cwd();
  const platform = options.platform || process.platform;
  const arch = options.arch || process.arch;
  const launcherDir = options.launcherDir || __dirname;
  const io = { log: options.out || ((line) => process.stdout.write(line + '\n')) };
  const dialect = resultDialect(system, env);
  const finish = (code, message, seen) => {
    for (const line of resultLines(dialect, code, message, seen)) io.log(line);
    return launcherExitCode(dialect, code);
  };
  const fail = (code, message) => finish(code, message);

  let mode;
  try {
    mode = readMode(env);
  } catch (err) {
    if (err instanceof UsageError) return fail(EXIT.usage, err.message);
    throw err;
  }

  const childEnv = buildChildEnv(env, system, platform);
  const image = system === 'github' ? readInput(env, 'image') : undefined;
  let command;
  let args;
  if (image) {
    command = 'docker';
    args = dockerArgs({ childEnv, image: image.trim(), mode, cwd, user: currentUser() });
    io.log(`orchprep launcher: running orchprep ${mode} in the container image ${image.trim()} (docker run)`);
  } else {
    let found;
    try {
      found = locateOrchprep({ env, system, mode, launcherDir, platform, arch });
      if (found.kind === 'publish') await publishToCache(found, io);
    } catch (err) {
      if (err instanceof NotFoundError) return fail(EXIT.notStarted, err.message);
      throw err;
    }
    command = found.command;
    args = found.args;
    io.log(`orchprep launcher: running ${found.display} ${mode}`);
  }

  let result;
  try {
    result = await spawnAndWait(command, args, childEnv, cwd, options.stdout);
  } catch (err) {
    return fail(EXIT.notStarted, `orchprep could not be started (${err.code || err.message}): ${command}`);
  }
  return finish(result.code, undefined, result.seen);
}

module.exports = {
  INPUTS,
  ACTION_ONLY_INPUTS,
  MODES,
  EXIT,
  REMOVED_PREFIXES,
  REMOVED_NAMES,
  upperSnake,
  inputVariableName,
  readInput,
  readMode,
  mapInputs,
  buildChildEnv,
  runtimeId,
  findOnPath,
  commandForFile,
  actionVersion,
  locateOrchprep,
  publishArgs,
  dockerArgs,
  failureMessage,
  escapeAzureMessage,
  escapeGitHubMessage,
  resultDialect,
  resultLines,
  launcherExitCode,
  stdoutWatcher,
  currentUser,
  spawnAndWait,
  run,
  UsageError,
  NotFoundError,
};
