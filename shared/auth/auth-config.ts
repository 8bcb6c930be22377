/**
 * What an officer's token must carry, in AWS (Cognito access tokens, checked by API Gateway's JWT
 * authorizer) and locally (tokens from `npm run token`, checked by the local server).
 */
export const OFFICER_GROUPS = ['officer', 'admin'] as const;
export type OfficerGroup = (typeof OFFICER_GROUPS)[number];

/** Resource server identifier and scope: an ID token, or a token for another app, lacks it. */
export const API_RESOURCE_SERVER = 'you-said-we-did';
export const OFFICER_SCOPE = `${API_RESOURCE_SERVER}/officer`;

/** Issuer and audience of the tokens `npm run token` signs with the development key. */
export const LOCAL_ISSUER = 'https://local.you-said-we-did.invalid/dev-issuer';
export const LOCAL_AUDIENCE = 'you-said-we-did-local-officer-app';
