'use strict';
// GitHub action entry (action.yml: runs.using node24, main tasks/github-action/index.js). Same launcher as the task.
const { run, escapeGitHubMessage, EXIT } = require('../azure-pipelines/launcher.js');

run('github').then(
  (code) => {
    // exitCode, not process.exit(): stdout may be a pipe still being written (Windows pipes are async).
    process.exitCode = code;
  },
  (err) => {
    // A bug in the launcher itself: fail the step, with a code orchprep never uses.
    process.stdout.write(`::error title=orchprep::${escapeGitHubMessage(`orchprep launcher failed: ${err && err.message}`)}\n`);
    process.exitCode = EXIT.launcherBug;
  },
);
