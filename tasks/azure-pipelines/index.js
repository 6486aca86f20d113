'use strict';
// Azure Pipelines entry (task.json execution target for Node24 and Node20_1).
const { run, escapeAzureMessage, EXIT } = require('./launcher');

run('azure-pipelines').then(
  (code) => {
    // exitCode, not process.exit(): stdout may be a pipe still being written (Windows pipes are async).
    process.exitCode = code;
  },
  (err) => {
    // A bug in the launcher itself: fail the task, with a code orchprep never uses.
    process.stdout.write(`##vso[task.complete result=Failed;]${escapeAzureMessage(`orchprep launcher failed: ${err && err.message}`)}\n`);
    process.exitCode = EXIT.launcherBug;
  },
);
