/**
 * Stands in for `@aws-sdk/credential-provider-node` inside Lambda bundles only (an esbuild alias in
 * infra/bundling.ts). Lambda hands every function its role's credentials in environment variables,
 * so the SDK's full chain (profiles, SSO, web identity, IMDS, with the STS and SSO clients they
 * need) is about 85 KB of code a function never runs. Locally and in tests the full chain stays.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type Init = Parameters<typeof fromEnv>[0];

export const defaultProvider = (init: Init = {}) => fromEnv(init);
