'use strict';
// Azure Pipelines entry (task.json execution target for Node24 and Node20_1).
const { run, escapeAzureMessage, EXIT } = require('./launcher');

run('azure-pipelines').then(
  (code) => {
    // exitCode, not process.exit(): stdout may be a pipe still being written (Windows pipes are async).
    process.exitCode = code;
  },
  (err) => {
    // A bug in the launcher itself: fail the task through task.complete (a non-zero exit would add the agent's
    // "Exit code N returned from process" infrastructure error), and say it with a code orchprep never uses.
    const message = escapeAzureMessage(`orchprep launcher failed (exit code ${EXIT.launcherBug}): ${err && err.message}`);
    process.stdout.write(`##vso[task.logissue type=error;]${message}\n##vso[task.complete result=Failed;]${message}\n`);
    process.exitCode = 0;
  },
);
