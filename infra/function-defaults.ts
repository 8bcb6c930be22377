/** Settings every function shares, in AWS (infra/constructs/service-function.ts) and locally. */
export const FUNCTION_TIMEOUT_SECONDS = 10;
export const FUNCTION_MEMORY_MB = 512;
export const SERVICE_NAME = 'you-said-we-did';
