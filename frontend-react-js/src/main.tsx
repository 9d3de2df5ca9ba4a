import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App.tsx';
import { checkSession } from './session.ts';
import { startTracing } from './telemetry/tracing.ts';
import './styles.css';

// Before the first render, so the first fetches are traced. Imported statically: awaiting a
// separate chunk here put a request and its evaluation in front of every page load.
// A build with VITE_TRACING=off gets a no-op instead (vite.config.ts).
startTracing();
// Who is signed in: the mock answers at once, Cognito (week 3) after a round trip.
void checkSession();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <App />
    </BrowserRouter>
  </StrictMode>,
);
