// A command-line peer built only on the OpenWallet Foundation's @sd-jwt libraries, so the C# tests in
// tests/Credentials.Tests/Interop can prove that what we make, an independent implementation reads, and
// the other way round. One JSON request on stdin, one JSON answer on stdout; on failure a message on
// stderr and exit code 1. It never touches the network: a status list is passed in the request.
//
// Requests ({"op": ...}):
//   issue             issuerJwk (private, with kid), iss, vct, iat, exp, claims, frame, holderJwk?, status?
//                     -> {sdJwt}
//   present           sdJwt, frame (presentation frame; omitted = every disclosure), holderJwk (private),
//                     aud, nonce, iat -> {presentation}
//   verify            presentation, issuerJwk (public, with kid), currentDate, requireKeyBinding, aud?, nonce?,
//                     statusListToken? -> {header, claims, kb?, status?}
//   statuslist-create signingJwk (private, with kid), bits, statuses, sub, iss?, iat, exp?, ttl? -> {token}
//   statuslist-read   token, issuerJwk (public, with kid), currentDate, indexes -> {header, payload, bits, size, statuses}
//
// @sd-jwt 0.19.0 accepts some inputs RFC 9901 says to reject: it proves interoperability, never rejection.

import { ES256, digest, generateSalt } from '@sd-jwt/crypto-nodejs';
import { Jwt } from '@sd-jwt/core';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { StatusList, createHeaderAndPayload, getListFromStatusListJWT } from '@sd-jwt/jwt-status-list';

const SD_JWT_VC_TYP = 'dc+sd-jwt';
const STATUS_LIST_TYP = 'statuslist+jwt';

class PeerError extends Error {}

function required(request, name) {
  if (request[name] === undefined || request[name] === null) {
    throw new PeerError(`The request for '${request.op}' needs '${name}'.`);
  }
  return request[name];
}

function kidOf(jwk, what) {
  if (typeof jwk.kid !== 'string' || jwk.kid.length === 0) {
    throw new PeerError(`The ${what} JWK needs a kid.`);
  }
  return jwk.kid;
}

function publicPart({ kty, crv, x, y }) {
  return { kty, crv, x, y };
}

function instance(config) {
  return new SDJwtVcInstance({ hasher: digest, hashAlg: 'sha-256', saltGenerator: generateSalt, ...config });
}

async function issue(request) {
  const issuerJwk = required(request, 'issuerJwk');
  const kid = kidOf(issuerJwk, 'issuer');
  const sdjwt = instance({ signer: await ES256.getSigner(issuerJwk), signAlg: ES256.alg });
  const payload = {
    iss: required(request, 'iss'),
    vct: required(request, 'vct'),
    iat: required(request, 'iat'),
    exp: required(request, 'exp'),
    ...(request.holderJwk ? { cnf: { jwk: publicPart(request.holderJwk) } } : {}),
    ...(request.status ? { status: { status_list: request.status } } : {}),
    ...required(request, 'claims'),
  };
  const sdJwt = await sdjwt.issue(payload, request.frame ?? undefined, { header: { kid } });
  return { sdJwt };
}

async function present(request) {
  const holderJwk = required(request, 'holderJwk');
  const sdjwt = instance({ kbSigner: await ES256.getSigner(holderJwk), kbSignAlg: ES256.alg });
  const kb = { payload: { iat: required(request, 'iat'), aud: required(request, 'aud'), nonce: required(request, 'nonce') } };
  const presentation = await sdjwt.present(required(request, 'sdJwt'), request.frame ?? undefined, { kb });
  return { presentation };
}

async function verify(request) {
  const issuerJwk = required(request, 'issuerJwk');
  const kid = kidOf(issuerJwk, 'issuer');
  const currentDate = required(request, 'currentDate');
  let status;
  const sdjwt = instance({
    verifier: await ES256.getVerifier(publicPart(issuerJwk)),
    kbVerifier: async (data, signature, payload) => {
      if (!payload?.cnf?.jwk) throw new PeerError('The credential binds no holder key (cnf.jwk).');
      return (await ES256.getVerifier(publicPart(payload.cnf.jwk)))(data, signature);
    },
    statusListFetcher: async (uri) => {
      if (!request.statusListToken) throw new PeerError(`The credential refers to the status list ${uri}, but the request carries no statusListToken.`);
      return request.statusListToken;
    },
    statusValidator: async (value) => {
      status = value;
    },
  });

  const presentation = required(request, 'presentation');
  const options = { currentDate };
  if (request.requireKeyBinding) options.keyBindingNonce = required(request, 'nonce');
  const result = await sdjwt.verify(presentation, options);

  // Checks the library leaves to its caller: the header typ and kid, and the KB-JWT's aud.
  if (result.header?.typ !== SD_JWT_VC_TYP) throw new PeerError(`The credential's typ is '${result.header?.typ}', not '${SD_JWT_VC_TYP}'.`);
  if (result.header?.kid !== kid) throw new PeerError(`The credential's kid is '${result.header?.kid}', not '${kid}'.`);
  if (request.requireKeyBinding) {
    if (!result.kb) throw new PeerError('Key binding was required but not verified.');
    if (result.kb.payload.aud !== required(request, 'aud')) throw new PeerError(`The KB-JWT's aud is '${result.kb.payload.aud}', not '${request.aud}'.`);
  }
  return { header: result.header, claims: result.payload, kb: result.kb ?? null, status: status ?? null };
}

async function statusListCreate(request) {
  const signingJwk = required(request, 'signingJwk');
  const kid = kidOf(signingJwk, 'signing');
  const list = new StatusList([...required(request, 'statuses')], required(request, 'bits'));
  const payload = {
    sub: required(request, 'sub'),
    iat: required(request, 'iat'),
    ...(request.iss ? { iss: request.iss } : {}),
    ...(request.exp ? { exp: request.exp } : {}),
    ...(request.ttl ? { ttl: request.ttl } : {}),
  };
  const values = createHeaderAndPayload(list, payload, { alg: ES256.alg, typ: STATUS_LIST_TYP, kid });
  const jwt = new Jwt({ header: values.header, payload: values.payload });
  const token = await jwt.sign(await ES256.getSigner(signingJwk));
  return { token };
}

async function statusListRead(request) {
  const issuerJwk = required(request, 'issuerJwk');
  const kid = kidOf(issuerJwk, 'issuer');
  const token = required(request, 'token');
  const jwt = Jwt.fromEncode(token);
  const { header, payload } = await jwt.verify(await ES256.getVerifier(publicPart(issuerJwk)), { currentDate: required(request, 'currentDate') });
  if (header?.typ !== STATUS_LIST_TYP) throw new PeerError(`The status list token's typ is '${header?.typ}', not '${STATUS_LIST_TYP}'.`);
  if (header?.kid !== kid) throw new PeerError(`The status list token's kid is '${header?.kid}', not '${kid}'.`);
  const list = getListFromStatusListJWT(token);
  const statuses = {};
  for (const index of required(request, 'indexes')) statuses[index] = list.getStatus(index);
  return { header, payload, bits: list.getBitsPerStatus(), size: list.statusList.length, statuses };
}

const operations = {
  issue,
  present,
  verify,
  'statuslist-create': statusListCreate,
  'statuslist-read': statusListRead,
};

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

try {
  const request = JSON.parse(await readStdin());
  const operation = operations[request?.op];
  if (!operation) throw new PeerError(`Unknown op '${request?.op}'; expected one of ${Object.keys(operations).join(', ')}.`);
  process.stdout.write(JSON.stringify(await operation(request)));
} catch (error) {
  process.stderr.write(`${error?.name ?? 'Error'}: ${error?.message ?? error}\n`);
  process.exitCode = 1;
}
