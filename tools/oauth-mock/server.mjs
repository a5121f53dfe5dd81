// A real OAuth2/OIDC authorization server (oauth2-mock-server) for EngLog's
// end-to-end login tests: authorization code + PKCE (S256) with one-time
// code challenges, a token endpoint and userinfo.
//
//   node server.mjs            listens on 127.0.0.1, on a free port
//   MOCK_SUB, MOCK_EMAIL, MOCK_EMAIL_VERIFIED  shape the userinfo answer
//
// Prints `listening <port>` on stdout once it accepts connections; stops
// when stdin closes, so it cannot outlive the test that started it.
import { webcrypto } from 'node:crypto';

// Node 18 (Debian 12's nodejs) has no global Web Crypto, which `jose` (used
// by the server) expects; newer Node versions do.
globalThis.crypto ??= webcrypto;
const { OAuth2Server } = await import('oauth2-mock-server');

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');

server.service.on('beforeUserinfo', (response) => {
  response.body = {
    sub: process.env.MOCK_SUB ?? 'mock-user',
    email: process.env.MOCK_EMAIL ?? 'mock-user@example.com',
    email_verified: (process.env.MOCK_EMAIL_VERIFIED ?? 'true') === 'true',
  };
});

await server.start(Number(process.env.PORT ?? 0), '127.0.0.1');
console.log(`listening ${server.address().port}`);

process.stdin.resume();
process.stdin.on('end', async () => {
  await server.stop();
  process.exit(0);
});
