// Runs DynamoDB Local (Java) for its owner, the process that started it (`npm start`, `npm run
// sweep`, the test run), and makes sure Java never outlives that owner, however the owner ends.
// Its standard input is a pipe from the owner, which never writes to it: when the owner ends, even
// by SIGKILL, the kernel closes the owner's end, this process reads end-of-file, and stops Java.
// (A signal or a poll of the parent id can be missed; end-of-file cannot.) The owner stops it the
// same way: by closing the pipe.
//
// With --bridge it also carries connections from a Unix socket to DynamoDB Local's port: it then
// runs inside a private network namespace (see infra/local/dynamodb-local.ts), where the only
// interface is loopback, and the socket is the one door the host has into it. As PID 1 of its own
// PID namespace, its end ends Java too, even if it is itself killed with SIGKILL.
// Plain JavaScript, so it starts fast on the same Node without a TypeScript loader.
//   node dynamodb-launcher.mjs [--bridge <socket path> <port>] -- <java> <java args…>
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { dirname } from 'node:path';

const argv = process.argv.slice(2);
const bridge = argv[0] === '--bridge' ? { socketPath: argv[1], port: Number(argv[2]) } : undefined;
const [command, ...args] = argv.slice(argv.indexOf('--') + 1);
let stopping = false;
let java;

// The socket's folder was made for this process alone: it goes when Java goes.
const removeSocket = () => {
  if (bridge) rmSync(dirname(bridge.socketPath), { recursive: true, force: true });
};

const stop = () => {
  if (stopping) return;
  stopping = true;
  if (!java || java.exitCode !== null || java.signalCode !== null) {
    removeSocket();
    process.exit(0);
  }
  java.kill('SIGTERM');
  setTimeout(() => java.kill('SIGKILL'), 5_000).unref();
};
// Watched first, before Java is started: an owner that is already gone still stops it.
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, stop);

// stdio 'ignore': an undrained pipe can stall the JVM once its buffer fills.
java = spawn(command, args, { stdio: 'ignore' });
java.once('error', (error) => {
  process.stderr.write(`cannot start ${command}: ${error.message}\n`);
  removeSocket();
  process.exit(1);
});
java.once('exit', (code, signal) => {
  removeSocket();
  if (!stopping) process.stderr.write(`DynamoDB Local exited (${signal ?? `code ${code}`})\n`);
  process.exit(stopping ? 0 : 1);
});

if (bridge) {
  const server = createServer((socket) => {
    const upstream = createConnection({ host: '127.0.0.1', port: bridge.port });
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  server.listen(bridge.socketPath);
}
