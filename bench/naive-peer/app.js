// The same home feed as backend-flask-ts, with the same custom span (its own service module),
// served the way the getting-started guide's Express app is.
const express = require('express');
const { homeActivities } = require('../../backend-flask-ts/src/services/home-activities.ts');

const app = express();
app.get('/api/activities/home', (_req, res) => {
  res.json(homeActivities());
});
const server = app.listen(Number(process.env.PORT ?? 0), () => {
  console.log(JSON.stringify({ msg: 'naive peer listening', port: server.address().port }));
});
