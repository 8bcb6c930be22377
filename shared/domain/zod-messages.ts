/**
 * zod for every boundary, in its `mini` form: the same validation in about 20 KB of bundle instead
 * of about 90 KB, which keeps each Lambda's cold start close to a bare SDK client. Schema modules
 * import this for its side effect: English messages for the few rules without one of our own.
 * (Import `* as z from 'zod/mini'` in each module and never re-export `z`: a re-exported namespace
 * stops esbuild tree-shaking zod, which costs about 400 KB.)
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
