import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

export const ok = (body: unknown, headers: Record<string, string> = {}) =>
  json(200, body, { 'cache-control': 'no-store', ...headers });
export const created = (body: unknown, headers: Record<string, string> = {}) =>
  json(201, body, { 'cache-control': 'no-store', ...headers });
