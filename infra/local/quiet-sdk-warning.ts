// Imported first by the local entry points: the SDK reads this when it loads. The pinned SDK
// supports Node.js 20; the warning is about releases after January 2027 (see package.json pins).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
