// Benchmark only: redeem-code's unknown-code path in Node, the same document work as the Java function
// (verify the ID token; read system/config and users/{uid} together; the rate-limit transaction over the
// minute and hour windows; the code read in a transaction; 404), to compare cold starts and warm latency.
'use strict';
const functions = require('@google-cloud/functions-framework');
const { initializeApp } = require('firebase-admin/app');
const { getAuth } = require('firebase-admin/auth');
const { getFirestore, Timestamp } = require('firebase-admin/firestore');

const app = initializeApp({ projectId: process.env.GOOGLE_CLOUD_PROJECT });
const auth = getAuth(app);
const db = getFirestore(app);
const FUNCTION = 'redeem-code';

function fail(res, status, code, message) {
  res.status(status).json({ error: { code, message, details: {} } });
}

async function rateLimit(uid, limit) {
  const now = Date.now();
  const minute = Math.floor(now / 60000);
  const hour = Math.floor(now / 3600000);
  const windows = [
    { key: `m${minute}`, start: minute * 60000, end: (minute + 1) * 60000, limit: limit.requestsPerMinute },
    { key: `h${hour}`, start: hour * 3600000, end: (hour + 1) * 3600000, limit: limit.requestsPerHour },
  ];
  return db.runTransaction(async (tx) => {
    const refs = windows.map((w) => db.doc(`rate_limit_logs/${uid}_${FUNCTION}_${w.key}`));
    const counts = [];
    for (const ref of refs) {
      const snap = await tx.get(ref);
      counts.push(snap.exists ? snap.get('requestCount') : 0);
    }
    for (let i = 0; i < windows.length; i++) if (counts[i] >= windows[i].limit) return false;
    windows.forEach((w, i) =>
      tx.set(refs[i], {
        id: w.key, userId: uid, endpoint: FUNCTION, requestCount: counts[i] + 1,
        windowStart: Timestamp.fromMillis(w.start), windowEnd: Timestamp.fromMillis(w.end),
        lastRequestAt: Timestamp.fromMillis(now), isBlocked: false,
        expires_at: Timestamp.fromMillis(w.end + 3600000),
      }));
    return true;
  });
}

functions.http('redeemCode', async (req, res) => {
  if (req.method !== 'POST') return fail(res, 405, 'METHOD_NOT_ALLOWED', 'only POST is allowed');
  const header = req.get('authorization') || '';
  let user;
  try {
    user = await auth.verifyIdToken(header.replace(/^Bearer /, ''));
  } catch (e) {
    if (process.env.BENCH_DEBUG) console.error(e.message);
    return fail(res, 401, 'UNAUTHENTICATED', 'ID token is invalid, expired or revoked');
  }
  const code = req.body && req.body.code;
  if (typeof code !== 'string' || code.length === 0 || code.length > 64) {
    return fail(res, 400, 'INVALID_ARGUMENT', 'code is required');
  }
  const [config, profile] = await db.getAll(db.doc('system/config'), db.doc(`users/${user.uid}`));
  if (profile.exists && profile.get('accountStatus') === 'suspended') {
    return fail(res, 403, 'ACCOUNT_SUSPENDED', 'this account is suspended');
  }
  const limits = config.get('config.limits') || {};
  const limit = (limits.rateLimitByFunction || {})[FUNCTION] || limits.rateLimit;
  if (!(await rateLimit(user.uid, limit))) return fail(res, 429, 'RATE_LIMITED', 'too many requests');
  const normalised = code.trim().toUpperCase();
  const found = await db.runTransaction((tx) => tx.get(db.doc(`redeemCodes/${normalised}`)));
  if (!found.exists) return fail(res, 404, 'NOT_FOUND', 'no such code');
  return fail(res, 409, 'CONFLICT', 'the benchmark peer only answers unknown codes');
});
