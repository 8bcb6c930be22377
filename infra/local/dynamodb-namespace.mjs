// Runs inside a private network namespace (see infra/local/dynamodb-local.ts), where the only
// interface is loopback: starts DynamoDB Local there and carries connections to it from a Unix
// socket, the one door the host has into the namespace. Plain JavaScript, so it starts fast on the
// same Node without a TypeScript loader.
//   node dynamodb-namespace.mjs <socket path> <port> <java> <java args…>
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';

const [socketPath, port, command, ...args] = process.argv.slice(2);
let stopping = false;
let java;

// Signals first: a stop asked for during start-up must still stop Java.
const stop = () => {
  stopping = true;
  if (!java) process.exit(0);
  java.kill('SIGTERM');
  setTimeout(() => java.kill('SIGKILL'), 5_000).unref();
};
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, stop);

// stdio 'ignore': an undrained pipe can stall the JVM once its buffer fills.
java = spawn(command, args, { stdio: 'ignore' });
java.once('error', (error) => {
  process.stderr.write(`cannot start ${command}: ${error.message}\n`);
  process.exit(1);
});
java.once('exit', (code, signal) => {
  rmSync(socketPath, { force: true });
  if (!stopping) process.stderr.write(`DynamoDB Local exited (${signal ?? `code ${code}`})\n`);
  process.exit(stopping ? 0 : 1);
});

const server = createServer((socket) => {
  const upstream = createConnection({ host: '127.0.0.1', port: Number(port) });
  socket.pipe(upstream).pipe(socket);
  socket.on('error', () => upstream.destroy());
  upstream.on('error', () => socket.destroy());
});
server.listen(socketPath);

// If whoever started us dies without a signal (SIGKILL), we are re-parented: stop Java too.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 500).unref();
