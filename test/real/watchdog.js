// node test/real/watchdog.js DIR COMMAND [ARG…]
//
// Runs COMMAND (the kube-apiserver) as its child, for as long as the test process that started the watchdog lives.
// That process holds the write end of our stdin and never writes: when it dies, even by SIGKILL (no teardown
// runs), the kernel closes the pipe, we read end-of-file, stop the server and remove its data folder DIR. As the
// server's parent we see its exit ourselves, so no pid is ever signalled after it could have been reused.
// SIGTERM and SIGINT are passed on (an orderly stop); the exit status is the server's.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const [dir, command, ...args] = process.argv.slice(2);
if (!dir || !command) {
  process.stderr.write('usage: node watchdog.js DIR COMMAND [ARG…]\n');
  process.exit(2);
}

const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let orphaned = false;

/** SIGTERM, then SIGKILL if the server has not ended by then (the apiserver drains for about 2 s). */
function stop(signal, graceMs) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
}

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => stop(signal, 15_000));
process.stdin.on('end', () => {
  orphaned = true;
  stop('SIGTERM', 3_000);
});
process.stdin.on('error', () => process.stdin.emit('end'));
process.stdin.resume();

child.on('error', (error) => {
  process.stderr.write(`watchdog: ${command}: ${error.message}\n`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  if (orphaned) rmSync(dir, { recursive: true, force: true });
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
});
