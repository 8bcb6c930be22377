import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureCursorKeyFile } from '../../infra/local/data-dir';
import { cursorSigningKey, useSigningKeySource } from '../../shared/config/signing-key';
import { TemporarilyUnavailableError } from '../../shared/domain/errors';
import { TEST_CURSOR_KEY } from '../support/signing';

const dir = mkdtempSync(join(tmpdir(), 'ysdw-key-'));
const secretsManager = mockClient(SecretsManagerClient);

beforeEach(() => {
  useSigningKeySource(undefined);
  delete process.env.CURSOR_KEY_SECRET_ARN;
  delete process.env.CURSOR_KEY_FILE;
  secretsManager.reset();
});
afterEach(() => {
  delete process.env.CURSOR_KEY_SECRET_ARN;
  delete process.env.CURSOR_KEY_FILE;
  useSigningKeySource(() => TEST_CURSOR_KEY);
});

describe('the cursor signing key', () => {
  it('in AWS, is read from Secrets Manager once per process (cold start), then reused', async () => {
    process.env.CURSOR_KEY_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:111122223333:secret:cursor';
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'k'.repeat(64) });
    expect((await cursorSigningKey()).toString()).toBe('k'.repeat(64));
    await cursorSigningKey();
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(secretsManager.commandCalls(GetSecretValueCommand)[0]?.args[0].input.SecretId).toBe(
      process.env.CURSOR_KEY_SECRET_ARN,
    );
  });

  it('answers 503 (temporarily unavailable) when Secrets Manager throttles, and tries again next time', async () => {
    process.env.CURSOR_KEY_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:111122223333:secret:cursor';
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ SecretString: 'k'.repeat(64) });
    await expect(cursorSigningKey()).rejects.toBeInstanceOf(TemporarilyUnavailableError);
    expect((await cursorSigningKey()).length).toBe(64);
  });

  it('refuses a key shorter than 32 bytes, and a missing configuration', async () => {
    process.env.CURSOR_KEY_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-2:111122223333:secret:cursor';
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'short' });
    await expect(cursorSigningKey()).rejects.toThrow(/shorter than 32 bytes/);
    delete process.env.CURSOR_KEY_SECRET_ARN;
    await expect(cursorSigningKey()).rejects.toThrow(/No cursor signing key/);
  });

  it('locally, is a file in DATA_DIR made with mode 0600 (and tightened if it was opened up)', async () => {
    const file = ensureCursorKeyFile(dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = readFileSync(file, 'utf8').trim();
    expect(Buffer.from(key, 'base64url')).toHaveLength(32);
    chmodSync(file, 0o644);
    expect(ensureCursorKeyFile(dir)).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(key);
    process.env.CURSOR_KEY_FILE = file;
    expect((await cursorSigningKey()).toString()).toBe(key);
  });

  it('is never an empty or whitespace file', async () => {
    const file = join(dir, 'empty-key');
    writeFileSync(file, '  \n');
    process.env.CURSOR_KEY_FILE = file;
    await expect(cursorSigningKey()).rejects.toThrow(/shorter than 32 bytes/);
    rmSync(file);
  });
});
