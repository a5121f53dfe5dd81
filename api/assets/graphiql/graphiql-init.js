// Mounts GraphiQL against this EngLog server (same origin only).
// Kept out of index.html so a strict `script-src 'self'` CSP works.
(function () {
  'use strict';

  var origin = window.location.origin;
  var wsOrigin = origin.replace(/^http/, 'ws'); // http→ws, https→wss

  var fetcher = GraphiQL.createFetcher({
    url: origin + '/graphql',
    // Subscriptions (graphql-transport-ws). The JSON of the headers editor
    // is sent as the connection_init payload, so the same
    // {"Authorization": "Bearer ..."} works for queries and subscriptions.
    subscriptionUrl: wsOrigin + '/graphql/ws',
  });

  var defaultQuery = [
    '# Welcome to the EngLog GraphQL explorer.',
    '#',
    '# Most operations need you to be signed in. Open the "Headers" tab',
    '# below and paste an access token or an API token:',
    '#',
    '#   {"Authorization": "Bearer <your token>"}',
    '#',
    '# Headers are kept in this tab only; they are not saved in the browser.',
    '# The schema is in the Docs panel (book icon, left).',
    '',
    'query Me {',
    '  me {',
    '    id',
    '    email',
    '  }',
    '}',
    '',
  ].join('\n');

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      isHeadersEditorEnabled: true,
      // Tokens typed in the headers editor are not written to localStorage.
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: 'headers',
    })
  );
})();
