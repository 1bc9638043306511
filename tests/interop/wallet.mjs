// An independent OpenID4VCI 1.0 wallet built on @openid4vc/openid4vci (pre-authorized code flow) and the OpenWallet
// Foundation's @sd-jwt libraries, used by tests/Issuer.Tests/Offers to prove that a wallet we did not write can collect
// a credential from our issuer and verify it. One JSON request on stdin, one JSON answer on stdout; on failure a message
// on stderr and exit code 1.
//
// Request: {offerUri, txCode, configurationId?, event?, eventDescription?}
//   offerUri         openid-credential-offer://?credential_offer_uri=... (as HR received it)
//   txCode           the transaction code HR passed on out of band
//   configurationId  which offered credential configuration to collect (default: the first offered)
//   event            notification to send afterwards (default credential_accepted; "none" sends nothing)
// Answer: {credentialIssuer, issuerMetadataVersion, configurationId, header, claims, status, holderJwk, notificationId, tokenType}
//
// The library refuses http:// URLs unless allowInsecureUrls is set. The test serves the issuer on a loopback port over
// plain http, so the wallet allows http for loopback issuers only (127.0.0.1, ::1, localhost) and nothing else.

import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { Openid4vciClient, setGlobalConfig } from '@openid4vc/openid4vci';
import { clientAuthenticationAnonymous } from '@openid4vc/oauth2';
import { ES256, digest } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';

const SD_JWT_VC_TYP = 'dc+sd-jwt';
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

class WalletError extends Error {}

function base64url(bytes) {
  return Buffer.from(bytes).toString('base64url');
}

function required(request, name) {
  if (request[name] === undefined || request[name] === null) throw new WalletError(`The request needs '${name}'.`);
  return request[name];
}

function offerHost(offerUri) {
  const reference = new URL(offerUri).searchParams.get('credential_offer_uri');
  return reference ? new URL(reference) : null;
}

async function collect(request) {
  const offerUri = required(request, 'offerUri');
  const txCode = required(request, 'txCode');
  const reference = offerHost(offerUri);
  if (reference?.protocol === 'http:') {
    if (!LOOPBACK.has(reference.hostname)) throw new WalletError(`Refusing a plain-http issuer that is not on loopback: ${reference.host}.`);
    setGlobalConfig({ allowInsecureUrls: true });
  }

  // The holder key, made fresh for this credential; the private half never leaves this process.
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const holderJwk = { kty, crv, x, y };

  const client = new Openid4vciClient({
    callbacks: {
      fetch,
      generateRandom: (length) => randomBytes(length),
      hash: (data, alg) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
      clientAuthentication: clientAuthenticationAnonymous(),
      signJwt: async (signer, { header, payload }) => {
        if (signer.method !== 'jwk' || signer.alg !== 'ES256') throw new WalletError(`This wallet signs only ES256 with its jwk, not ${signer.method}/${signer.alg}.`);
        const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
        const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
        return { jwt: `${input}.${base64url(signature)}`, signerJwk: holderJwk };
      },
    },
  });

  const credentialOffer = await client.resolveCredentialOffer(offerUri);
  const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
  const configurationId = request.configurationId ?? credentialOffer.credential_configuration_ids[0];
  if (!credentialOffer.credential_configuration_ids.includes(configurationId)) {
    throw new WalletError(`The offer does not include '${configurationId}'.`);
  }

  const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata, txCode });
  const { c_nonce: nonce } = await client.requestNonce({ issuerMetadata });
  const proof = await client.createCredentialRequestJwtProof({
    issuerMetadata,
    credentialConfigurationId: configurationId,
    signer: { method: 'jwk', alg: 'ES256', publicJwk: holderJwk },
    nonce,
  });
  const { credentialResponse } = await client.retrieveCredentials({
    issuerMetadata,
    accessToken: accessTokenResponse.access_token,
    credentialConfigurationId: configurationId,
    proofs: { jwt: [proof.jwt] },
  });
  const credential = credentialResponse.credentials?.[0]?.credential;
  if (typeof credential !== 'string') throw new WalletError('The credential response holds no SD-JWT VC.');

  const verified = await verify(credential, credentialOffer.credential_issuer);
  const cnf = verified.claims.cnf?.jwk;
  if (!cnf || cnf.x !== holderJwk.x || cnf.y !== holderJwk.y) throw new WalletError("The credential is not bound to this wallet's key (cnf.jwk).");

  const event = request.event ?? 'credential_accepted';
  if (event !== 'none') {
    await client.sendNotification({
      issuerMetadata,
      accessToken: accessTokenResponse.access_token,
      notification: {
        notificationId: required(credentialResponse, 'notification_id'),
        event,
        ...(request.eventDescription ? { eventDescription: request.eventDescription } : {}),
      },
    });
  }

  return {
    credentialIssuer: credentialOffer.credential_issuer,
    issuerMetadataVersion: issuerMetadata.originalDraftVersion,
    configurationId,
    tokenType: accessTokenResponse.token_type,
    notificationId: credentialResponse.notification_id,
    holderJwk,
    ...verified,
  };
}

// JWT VC Issuer Metadata (SD-JWT VC §5): the issuer's keys at /.well-known/jwt-vc-issuer inserted before its path.
async function issuerKeys(issuer) {
  const url = new URL(issuer);
  const response = await fetch(`${url.origin}/.well-known/jwt-vc-issuer${url.pathname}`);
  if (!response.ok) throw new WalletError(`The issuer's JWT VC metadata answered ${response.status}.`);
  const metadata = await response.json();
  if (metadata.issuer !== issuer) throw new WalletError(`The JWT VC metadata names issuer '${metadata.issuer}', not '${issuer}'.`);
  return metadata.jwks?.keys ?? [];
}

async function verify(credential, issuer) {
  const keys = await issuerKeys(issuer);
  const kid = JSON.parse(Buffer.from(credential.split('.')[0], 'base64url').toString('utf8')).kid;
  const key = keys.find((k) => k.kid === kid);
  if (!key) throw new WalletError(`No published key of the issuer has kid '${kid}'.`);
  let status = null;
  const sdjwt = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    verifier: await ES256.getVerifier({ kty: key.kty, crv: key.crv, x: key.x, y: key.y }),
    // The status list is fetched from the issuer and its signature checked with the same verifier.
    statusListFetcher: async (uri) => {
      const response = await fetch(uri);
      if (!response.ok) throw new WalletError(`The status list at ${uri} answered ${response.status}.`);
      return response.text();
    },
    statusValidator: async (value) => {
      status = value;
    },
  });
  const result = await sdjwt.verify(credential);
  if (result.header?.typ !== SD_JWT_VC_TYP) throw new WalletError(`The credential's typ is '${result.header?.typ}', not '${SD_JWT_VC_TYP}'.`);
  if (result.payload.iss !== issuer) throw new WalletError(`The credential's iss is '${result.payload.iss}', not '${issuer}'.`);
  return { header: result.header, claims: result.payload, status };
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

try {
  const request = JSON.parse(await readStdin());
  process.stdout.write(JSON.stringify(await collect(request)));
} catch (error) {
  const detail = error?.errorResponse ? ` ${JSON.stringify(error.errorResponse)}` : '';
  process.stderr.write(`${error?.name ?? 'Error'}: ${error?.message ?? error}${detail}\n`);
  process.exitCode = 1;
}
