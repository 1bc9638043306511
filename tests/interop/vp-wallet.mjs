// An independent OpenID4VP 1.0 wallet built on @openid4vc/openid4vp (request by reference, x509_hash client
// authentication, direct_post), dcql (which credential answers which query, which claims to disclose) and the
// OpenWallet Foundation's @sd-jwt libraries (selective disclosure and the KB-JWT). Used by
// tests/Verifier.Tests/Presentations to prove that a wallet we did not write can answer our verifier.
// One JSON request on stdin, one JSON answer on stdout; on failure a message on stderr and exit code 1.
//
// Request: {deepLink, trustedClientId, credentials: [sd-jwt, ...], holderJwk}
//   deepLink         openid4vp://?client_id=...&request_uri=... (as shown in the QR code)
//   trustedClientId  the verifier this wallet trusts: x509_hash names the certificate, and the wallet pins it
//   credentials      issued SD-JWT VCs the wallet holds (every disclosure)
//   holderJwk        the holder's private P-256 JWK, bound into the credentials (cnf)
// Answer: {clientId, responseUri, nonce, presented: {queryId: [disclosed claim names]}, status, body}
//
// The library refuses http:// URLs unless allowInsecureUrls is set. The test serves the verifier on a loopback port
// over plain http, so the wallet allows http for loopback verifiers only and nothing else.

import { createHash, sign, verify, X509Certificate } from 'node:crypto';
import { Openid4vpClient } from '@openid4vc/openid4vp';
import { setGlobalConfig } from '@openid4vc/oauth2';
import { DcqlQuery } from 'dcql';
import { digest } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

class WalletError extends Error {}

function required(request, name) {
  if (request[name] === undefined || request[name] === null) throw new WalletError(`The request needs '${name}'.`);
  return request[name];
}

function allowLoopbackHttp(deepLink) {
  const requestUri = new URL(new URL(deepLink).searchParams.get('request_uri') ?? '');
  if (requestUri.protocol !== 'http:') return;
  if (!LOOPBACK.has(requestUri.hostname)) throw new WalletError(`Refusing a plain-http verifier that is not on loopback: ${requestUri.host}.`);
  setGlobalConfig({ allowInsecureUrls: true });
}

// ES256 over the JWS signing input with the leaf certificate's key; x509_hash itself is checked by the library.
function verifyWithCertificate(signer, jwt) {
  if (signer.method !== 'x5c' || signer.alg !== 'ES256') return { verified: false };
  const leaf = new X509Certificate(Buffer.from(signer.x5c[0], 'base64'));
  const [header, payload, signature] = jwt.compact.split('.');
  const ok = verify('sha256', Buffer.from(`${header}.${payload}`), { key: leaf.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
  return ok ? { verified: true, signerJwk: leaf.publicKey.export({ format: 'jwk' }) } : { verified: false };
}

function certificateNames(certificate) {
  const names = (new X509Certificate(Buffer.from(certificate, 'base64')).subjectAltName ?? '').split(', ');
  return {
    sanDnsNames: names.filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4)),
    sanUriNames: names.filter((n) => n.startsWith('URI:')).map((n) => n.slice(4)),
  };
}

function holderSigner(privateJwk) {
  return async (data) => sign('sha256', Buffer.from(data), { key: privateJwk, format: 'jwk', dsaEncoding: 'ieee-p1363' }).toString('base64url');
}

// A DCQL claim path as an @sd-jwt presentation frame: {name: true} or {name: {child: true}}.
function frameFor(paths) {
  const frame = {};
  for (const path of paths) {
    let node = frame;
    path.forEach((segment, i) => {
      if (i === path.length - 1) node[segment] = true;
      else node = node[segment] = node[segment] === true ? {} : (node[segment] ?? {});
    });
  }
  return frame;
}

async function answer(request) {
  const deepLink = required(request, 'deepLink');
  const trustedClientId = required(request, 'trustedClientId');
  const credentials = required(request, 'credentials');
  const holderJwk = required(request, 'holderJwk');
  allowLoopbackHttp(deepLink);

  const client = new Openid4vpClient({
    callbacks: {
      fetch,
      hash: (data, alg) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
      verifyJwt: verifyWithCertificate,
      getX509CertificateMetadata: certificateNames,
      signJwt: () => { throw new WalletError('This wallet signs nothing but KB-JWTs.'); },
      encryptJwe: () => { throw new WalletError('This wallet does not encrypt responses.'); },
      decryptJwe: () => { throw new WalletError('This wallet does not decrypt requests.'); },
    },
  });

  // Fetch the request object by reference, check its signature and the x509_hash client identifier.
  const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: deepLink });
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params });
  const payload = resolved.authorizationRequestPayload;
  if (resolved.client.effective !== trustedClientId) throw new WalletError(`Untrusted verifier '${resolved.client.effective}'.`);
  if (resolved.client.prefix !== 'x509_hash') throw new WalletError(`Expected the x509_hash client identifier prefix, got '${resolved.client.prefix}'.`);
  if (!resolved.dcql) throw new WalletError('The request has no DCQL query.');

  // Match what the wallet holds against the query.
  const sdjwt = new SDJwtVcInstance({ hasher: digest, kbSigner: holderSigner(holderJwk), kbSignAlg: 'ES256' });
  const held = [];
  for (const credential of credentials) {
    const claims = await sdjwt.getClaims(credential);
    held.push({ credential, dcql: { credential_format: 'dc+sd-jwt', vct: claims.vct, claims, cryptographic_holder_binding: true } });
  }
  const query = DcqlQuery.parse(resolved.dcql.query);
  DcqlQuery.validate(query);
  const result = DcqlQuery.query(query, held.map((h) => h.dcql));
  if (!result.can_be_satisfied) throw new WalletError(`The wallet cannot satisfy the query: ${JSON.stringify(result.credential_matches)}`);

  // Present each matched credential with only the claims of the chosen claim set, bound to this verifier and nonce.
  const vpToken = {};
  const presented = {};
  const iat = Math.floor(Date.now() / 1000);
  for (const credentialQuery of query.credentials) {
    const match = result.credential_matches[credentialQuery.id];
    if (!match?.success) continue;
    const chosen = match.valid_credentials[0];
    const claimSet = chosen.claims.valid_claim_sets[0];
    const claimQueries = credentialQuery.claims ?? [];
    const indexes = claimSet.valid_claim_indexes ?? claimQueries.map((_, i) => i);
    const paths = indexes.map((i) => claimQueries[i].path);
    const presentation = await sdjwt.present(held[chosen.input_credential_index].credential, frameFor(paths), {
      kb: { payload: { aud: payload.client_id, nonce: payload.nonce, iat } },
    });
    vpToken[credentialQuery.id] = [presentation];
    presented[credentialQuery.id] = Object.keys(await sdjwt.getClaims(presentation.slice(0, presentation.lastIndexOf('~') + 1)))
      .filter((name) => !['iss', 'vct', 'iat', 'exp', 'nbf', 'cnf', 'status', 'sub', '_sd_alg'].includes(name))
      .sort();
  }

  const response = await client.createOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: payload,
    authorizationResponsePayload: { vp_token: vpToken },
  });
  const submitted = await client.submitOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: payload,
    authorizationResponsePayload: response.authorizationResponsePayload,
  });
  const text = await submitted.response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { clientId: payload.client_id, responseUri: payload.response_uri, nonce: payload.nonce, presented, status: submitted.response.status, body };
}

async function main() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  try {
    const result = await answer(JSON.parse(input));
    process.stdout.write(JSON.stringify(result));
  } catch (error) {
    const detail = error?.errorResponse ? ` ${JSON.stringify(error.errorResponse)}` : '';
    process.stderr.write(`${error?.message ?? error}${detail}\n`);
    process.exit(1);
  }
}

await main();
