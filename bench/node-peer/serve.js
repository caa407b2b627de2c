// Serves index.js's function on 127.0.0.1:$PORT with the Functions Framework's own server (its CLI binds
// every interface; the benchmark serves loopback only).
'use strict';
require('./index.js');
const { getTestServer } = require('@google-cloud/functions-framework/testing');
getTestServer('redeemCode').listen(Number(process.env.PORT), '127.0.0.1');
