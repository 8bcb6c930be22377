import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { formatError, Logger, type LogLevel, logLambdaContext } from '../../shared/observability/logger';

function capture(logLevel: LogLevel = 'DEBUG') {
  const lines: { level: LogLevel; entry: Record<string, unknown> }[] = [];
  const logger = new Logger({
    serviceName: 'test-service',
    logLevel,
    write: (line, level) => {
      expect(line.endsWith('\n')).toBe(true);
      lines.push({ level, entry: JSON.parse(line) });
    },
  });
  return { logger, lines };
}

const context = (requestId: string) =>
  ({
    functionName: 'submit-feedback',
    awsRequestId: requestId,
    invokedFunctionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:submit-feedback',
    memoryLimitInMB: '512',
  }) as Context;

describe('the JSON logger', () => {
  it('writes lines in the shape Powertools Logger writes, with the correlation id', () => {
    const { logger, lines } = capture();
    logger.addContext(context('req-1'));
    logger.setCorrelationId('corr-1');
    logger.info('Request refused', { status: 400 });

    expect(lines).toHaveLength(1);
    const { level, entry } = lines[0] as (typeof lines)[number];
    expect(level).toBe('INFO');
    expect(entry).toMatchObject({
      level: 'INFO',
      message: 'Request refused',
      service: 'test-service',
      cold_start: true,
      function_name: 'submit-feedback',
      function_request_id: 'req-1',
      function_memory_size: 512,
      function_arn: 'arn:aws:lambda:eu-west-2:123456789012:function:submit-feedback',
      sampling_rate: 0,
      correlation_id: 'corr-1',
      status: 400,
    });
    expect(Number.isNaN(Date.parse(String(entry.timestamp)))).toBe(false);
  });

  it('marks only the first invocation of the process as a cold start', () => {
    const { logger, lines } = capture();
    logger.addContext(context('req-1'));
    logger.info('first');
    logger.addContext(context('req-2'));
    logger.info('second');
    expect(lines.map((l) => l.entry.cold_start)).toEqual([true, false]);
  });

  it('writes an error as its name, location, message, stack and cause', () => {
    const { logger, lines } = capture();
    const cause = new Error('socket hang up');
    // A named function, so the stack's first frame names its place: `at failingWrite (file:line:col)`.
    const failingWrite = () => new Error('write failed', { cause });
    logger.error('Unexpected failure', { error: failingWrite() });
    const error = lines[0]?.entry.error as Record<string, unknown>;
    expect(error).toMatchObject({ name: 'Error', message: 'write failed' });
    expect(error.location).toMatch(/logger\.test\.ts:\d+$/);
    expect(String(error.stack)).toContain('write failed');
    expect(error.cause).toMatchObject({ name: 'Error', message: 'socket hang up' });
    expect(formatError(Object.assign(new TypeError('x'), { code: 'E1' }))).toMatchObject({ code: 'E1' });
  });

  it('leaves out lines below its level, and everything when SILENT', () => {
    const warn = capture('WARN');
    warn.logger.debug('d');
    warn.logger.info('i');
    warn.logger.warn('w');
    warn.logger.error('e');
    expect(warn.lines.map((l) => l.level)).toEqual(['WARN', 'ERROR']);
    const silent = capture('SILENT');
    silent.logger.critical('c');
    expect(silent.lines).toEqual([]);
  });

  it('starts each invocation without the keys and context of the one before (middy middleware)', async () => {
    const { logger, lines } = capture();
    const handler = middy<{ id: string; tag?: string }>()
      .use(logLambdaContext(logger))
      .handler(async (event: { id: string; tag?: string }) => {
        if (event.tag) logger.appendKeys({ tag: event.tag });
        logger.setCorrelationId(event.id);
        logger.info('handled');
      });
    await handler({ id: 'a', tag: 'only-first' }, context('req-a'));
    await handler({ id: 'b' }, context('req-b'));
    expect(lines.map((l) => [l.entry.function_request_id, l.entry.correlation_id, l.entry.tag])).toEqual([
      ['req-a', 'a', 'only-first'],
      ['req-b', 'b', undefined],
    ]);
  });
});
