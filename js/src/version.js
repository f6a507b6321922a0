const data = require('../package.json');

export const MODULE_NAME = data.name;
export const MODULE_VERSION = data.version;
