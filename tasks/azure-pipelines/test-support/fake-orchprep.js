'use strict';
// Lives outside test/ because node --test runs every .js file under a test/ folder as a test file.
// A stand-in for orchprep, started by the launcher through the ORCHPREP_PATH=*.js test hook.
// FAKE_RECORD: file to write {argv, env} to. FAKE_EXIT: exit code. FAKE_SIGNAL: die by this signal.
// FAKE_WAIT_SIGINT: print "fake: waiting", wait for SIGINT, write FAKE_MARKER, exit 130.
// FAKE_PRINT: a line to print first (what orchprep itself prints to report a result: task.complete, ::error).
const fs = require('fs');

if (process.env.FAKE_RECORD) {
  fs.writeFileSync(process.env.FAKE_RECORD, JSON.stringify({ argv: process.argv.slice(2), env: process.env }));
}
if (process.env.FAKE_PRINT) {
  process.stdout.write(process.env.FAKE_PRINT + '\n');
}
if (process.env.FAKE_WAIT_SIGINT) {
  process.on('SIGINT', () => {
    fs.writeFileSync(process.env.FAKE_MARKER, 'SIGINT');
    process.exit(130);
  });
  // Keep running until the signal arrives (bounded, so a broken test cannot hang forever).
  setTimeout(() => process.exit(99), 20000);
  process.stdout.write('fake: waiting\n');
} else if (process.env.FAKE_SIGNAL) {
  process.kill(process.pid, process.env.FAKE_SIGNAL);
  setTimeout(() => process.exit(98), 5000);
} else {
  process.stdout.write('fake: done\n');
  process.exitCode = Number(process.env.FAKE_EXIT || '0');
}
