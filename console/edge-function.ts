/**
 * The CloudFront Function (cloudfront-js-2.0, viewer request) in front of the console's S3
 * objects: history API routing. An address whose last segment has no extension (`/console`,
 * `/console/feedback/K7QM92PD`) is a screen of the app, answered with the shell; a file
 * (`/console/console-3F2A9C10DE.js`, `/console/config.json`) is fetched as it is.
 * Plain ES5-style JavaScript in a string, as CloudFront runs it; unit-tested by evaluating it.
 */
export const CONSOLE_REWRITE_FUNCTION = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (request.uri === '/console' || last.indexOf('.') === -1) {
    request.uri = '/console/index.html';
  }
  return request;
}
`;
