// The OpenWallet Foundation's @sd-jwt/sd-jwt-vc verifying the presentations our side-by-side benchmark made
// (tests/Benchmarks, `side-by-side`), so both verifiers are timed on the same inputs in the same run. Not a test.
//
//   node verify-bench.mjs FILE   (FILE: {issuerJwk, presentations, aud, nonce, currentDate, rounds, rawIterations})
//
// Prints one JSON object: CPU and wall microseconds per verification for a returning holder (the holder's key imported
// once and kept, as our verifier keeps it) and a first-seen one (imported on every verification, as the library's
// documented kbVerifier does), and node's own raw ES256 baselines on the issuer JWT's signing input.

import { readFileSync } from 'node:fs';
import { createPublicKey, verify } from 'node:crypto';
import { ES256, digest } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { issuerJwk, presentations, aud, nonce, currentDate, rounds, rawIterations } = input;
const publicPart = ({ kty, crv, x, y }) => ({ kty, crv, x, y });

async function instance(keepHolderKeys) {
  const holderKeys = new Map();
  return new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    verifier: await ES256.getVerifier(publicPart(issuerJwk)),
    kbVerifier: async (data, signature, payload) => {
      const jwk = payload?.cnf?.jwk;
      if (!jwk) throw new Error('The credential binds no holder key.');
      if (!keepHolderKeys) return (await ES256.getVerifier(publicPart(jwk)))(data, signature);
      const id = `${jwk.x}.${jwk.y}`;
      let check = holderKeys.get(id);
      if (!check) {
        check = await ES256.getVerifier(publicPart(jwk));
        holderKeys.set(id, check);
      }
      return check(data, signature);
    },
  });
}

async function verifyAll(sdjwt) {
  for (const presentation of presentations) {
    const result = await sdjwt.verify(presentation, { currentDate, keyBindingNonce: nonce });
    if (result.header?.typ !== 'dc+sd-jwt' || result.header?.kid !== issuerJwk.kid || result.kb?.payload?.aud !== aud) {
      throw new Error('A presentation did not verify as expected.');
    }
  }
}

function measure(work, count) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const done = work();
  return Promise.resolve(done).then(() => {
    const used = process.cpuUsage(cpu);
    const wall = Number(process.hrtime.bigint() - start) / 1000;
    return { cpuMicroseconds: (used.user + used.system) / count, wallMicroseconds: wall / count };
  });
}

async function library(keepHolderKeys) {
  const sdjwt = await instance(keepHolderKeys);
  await verifyAll(sdjwt);
  return measure(async () => {
    for (let r = 0; r < rounds; r++) await verifyAll(sdjwt);
  }, rounds * presentations.length);
}

function raw(importEachTime) {
  const jwt = presentations[0].slice(0, presentations[0].indexOf('~'));
  const dot = jwt.lastIndexOf('.');
  const data = Buffer.from(jwt.slice(0, dot), 'ascii');
  const signature = Buffer.from(jwt.slice(dot + 1), 'base64url');
  const jwk = publicPart(issuerJwk);
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const once = () => {
    const k = importEachTime ? createPublicKey({ key: jwk, format: 'jwk' }) : key;
    if (!verify('sha256', data, { key: k, dsaEncoding: 'ieee-p1363' }, signature)) throw new Error('The raw baseline does not verify.');
  };
  for (let i = 0; i < Math.min(2000, rawIterations / 10); i++) once();
  return measure(() => {
    for (let i = 0; i < rawIterations; i++) once();
  }, rawIterations);
}

const result = {
  node: process.version,
  openssl: process.versions.openssl,
  returning: await library(true),
  firstSeen: await library(false),
  rawVerify: await raw(false),
  rawImportAndVerify: await raw(true),
};
process.stdout.write(JSON.stringify(result));
