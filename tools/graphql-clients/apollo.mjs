// Apollo Client (Node) against EngLog, as an integrator would set it up:
// an API token, automatic persisted queries with GET for hashed queries,
// and subscriptions over graphql-ws. Prints one JSON object:
// { requests: [{method, hash, query, status, body}], results: [...],
//   subscription: <first insightUpdates payload> }.
//
//   node apollo.mjs http://127.0.0.1:8080/graphql ws://127.0.0.1:8080/graphql/ws <api token>
import { ApolloClient, InMemoryCache, HttpLink, split, gql } from '@apollo/client/core/index.js';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries/index.js';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions/index.js';
import { getMainDefinition } from '@apollo/client/utilities/index.js';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createHash } from 'node:crypto';

const [httpUrl, wsUrl, token] = process.argv.slice(2);
if (!token) {
  console.error('usage: node apollo.mjs <http url> <ws url> <api token>');
  process.exit(2);
}

// Every HTTP request the client makes, to show the APQ protocol at work.
const requests = [];
async function recordingFetch(input, init = {}) {
  const url = new URL(typeof input === 'string' ? input : input.url);
  const method = (init.method || 'GET').toUpperCase();
  let payload = {};
  if (method === 'GET') {
    payload = {
      query: url.searchParams.get('query'),
      extensions: JSON.parse(url.searchParams.get('extensions') || '{}'),
    };
  } else {
    payload = JSON.parse(init.body);
  }
  const response = await fetch(input, init);
  const body = await response.clone().json();
  requests.push({
    method,
    hash: payload.extensions?.persistedQuery?.sha256Hash ?? null,
    query: Boolean(payload.query),
    status: response.status,
    body,
  });
  return response;
}

const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const http = createPersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
  new HttpLink({ uri: httpUrl, fetch: recordingFetch, headers: { authorization: `Bearer ${token}` } }),
);
const ws = new GraphQLWsLink(
  createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${token}` } }),
);
const link = split(
  ({ query }) => {
    const definition = getMainDefinition(query);
    return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
  },
  ws,
  http,
);
const client = new ApolloClient({ link, cache: new InMemoryCache() });

const ME = gql`query Me { me { id email } }`;
const results = [];
for (let i = 0; i < 3; i += 1) {
  const { data } = await client.query({ query: ME, fetchPolicy: 'no-cache' });
  results.push(data);
}

const { data: requested } = await client.mutate({
  mutation: gql`mutation Request($input: RequestInsightInput!) { requestInsight(input: $input) { id status } }`,
  variables: { input: { reportType: 'WEEKLY', periodStart: '2026-11-23', periodEnd: '2026-11-29' } },
});
const subscription = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('no subscription event within 15 s')), 15000);
  const observable = client.subscribe({
    query: gql`subscription Updates($id: UUID!) { insightUpdates(id: $id) { insightId status } }`,
    variables: { id: requested.requestInsight.id },
  });
  const handle = observable.subscribe({
    next: (event) => {
      clearTimeout(timer);
      handle.unsubscribe();
      resolve(event.data);
    },
    error: (error) => {
      clearTimeout(timer);
      reject(error);
    },
  });
});

console.log(JSON.stringify({ requests, results, requested: requested.requestInsight, subscription }));
client.stop();
process.exit(0);
