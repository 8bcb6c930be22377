import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import {
  DYNAMODB_LOCAL_CORS,
  exposureWarning,
  namespaceSupport,
  startDynamoDbLocal,
} from '../../infra/local/dynamodb-local';

/**
 * The run's DynamoDB Local (test/support/global-setup.ts, started like npm start's) keeps families'
 * data to itself: what the kernel says about its sockets, and what a web page would get.
 */
const endpoint = new URL(inject('dynamoDbEndpoint'));
const port = Number(endpoint.port);
const hexPort = port.toString(16).toUpperCase().padStart(4, '0');

/** Listening TCP sockets on `port` in a /proc/<pid>/net/tcp{,6} table, as local addresses in hex. */
function listeners(table: string): string[] {
  return readFileSync(table, 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === '0A' && fields[1]?.endsWith(`:${hexPort}`))
    .map((fields) => (fields[1] as string).split(':')[0] as string);
}

/** The Java process running this DynamoDB Local (its command line names the port). */
function javaPid(): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (comm === 'java') {
        const jar = args.findIndex((arg) => arg.endsWith('DynamoDBLocal.jar'));
        const portAt = args.indexOf('-port');
        if (jar >= 0 && args[portAt + 1] === String(port)) return Number(entry);
      }
    } catch {
      // The process ended while we looked.
    }
  }
  throw new Error(`no java process for DynamoDB Local on port ${port}`);
}

const support = namespaceSupport();

describe('DynamoDB Local, as npm start and the tests run it', () => {
  it('runs with telemetry off and a CORS list no web page can match', () => {
    const args = readFileSync(`/proc/${javaPid()}/cmdline`, 'utf8').split('\0');
    expect(args).toContain('-disableTelemetry');
    expect(args[args.indexOf('-cors') + 1]).toBe(DYNAMODB_LOCAL_CORS);
  });

  it('answers a web page’s cross-origin request without Access-Control-Allow-Origin', async () => {
    const preflight = await fetch(endpoint, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://attacker.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-amz-target',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const read = await fetch(endpoint, {
      method: 'POST',
      headers: {
        origin: 'https://attacker.example',
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20260101/eu-west-2/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
    });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  if (support.ok) {
    it('listens on this machine’s loopback address only (from /proc/net/tcp and tcp6)', () => {
      expect([...listeners('/proc/self/net/tcp'), ...listeners('/proc/self/net/tcp6')]).toEqual(['0100007F']);
    });

    it('runs Java in its own network namespace, whose only interface is loopback', () => {
      const pid = javaPid();
      expect(readlinkSync(`/proc/${pid}/ns/net`)).not.toBe(readlinkSync('/proc/self/ns/net'));
      const interfaces = readFileSync(`/proc/${pid}/net/dev`, 'utf8')
        .split('\n')
        .slice(2)
        .map((line) => line.split(':')[0]?.trim())
        .filter(Boolean);
      expect(interfaces).toEqual(['lo']);
      // Java's own listener (on every interface of a namespace that has only loopback).
      expect(
        [...listeners(`/proc/${pid}/net/tcp`), ...listeners(`/proc/${pid}/net/tcp6`)].length,
      ).toBeGreaterThan(0);
    });

    it('refuses a connection to the port on this machine’s other addresses', async () => {
      const addresses = Object.values(networkInterfaces())
        .flat()
        .filter((address) => address && !address.internal)
        .map((address) => address?.address as string);
      for (const host of addresses) {
        const outcome = await new Promise<string>((resolve) => {
          const socket = connect({ host, port, timeout: 2_000 });
          socket.once('connect', () => {
            socket.destroy();
            resolve('connected');
          });
          socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
          socket.once('timeout', () => {
            socket.destroy();
            resolve('timeout');
          });
        });
        expect(outcome, host).not.toBe('connected');
      }
    });
  }

  it('where namespaces are unavailable (here: no unshare on the PATH), warns at start-up and is indeed exposed', {
    timeout: 90_000,
  }, async () => {
    const bin = mkdtempSync(join(tmpdir(), 'ysdw-bin-'));
    symlinkSync(
      execFileSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' }).trim(),
      join(bin, 'java'),
    );
    const path = process.env.PATH;
    process.env.PATH = bin;
    const warnings: string[] = [];
    const exposedPort = await freePort();
    let dynamo: Awaited<ReturnType<typeof startDynamoDbLocal>> | undefined;
    try {
      dynamo = await startDynamoDbLocal({
        port: exposedPort,
        onWarning: (message) => warnings.push(message),
      });
      expect(dynamo.isolated).toBe(false);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`every network interface of this machine, port ${exposedPort}`);
      expect(warnings[0]).toContain('unshare could not run');
      // What the warning says: Java itself listens on the wildcard address.
      const hex = exposedPort.toString(16).toUpperCase().padStart(4, '0');
      const wildcard = ['/proc/self/net/tcp', '/proc/self/net/tcp6'].flatMap((table) =>
        readFileSync(table, 'utf8')
          .split('\n')
          .map((line) => line.trim().split(/\s+/))
          .filter(
            (fields) =>
              fields[3] === '0A' && fields[1] === `${'0'.repeat((fields[1]?.length ?? 5) - 5)}:${hex}`,
          ),
      );
      expect(wildcard.length).toBeGreaterThan(0);
    } finally {
      process.env.PATH = path;
      await dynamo?.stop();
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('explains the exposure in words a developer can act on', () => {
    const warning = exposureWarning(8000, 'unprivileged user and network namespaces are not available here');
    expect(warning).toContain('can read and change the local data without a password');
    expect(warning).toContain('block the port in your firewall');
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
