// The CDK app (cdk.json runs this): `npm run synth` checks it offline with cdk-nag.
import { buildApp } from './build-app';

buildApp();
