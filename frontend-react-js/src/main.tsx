import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App.tsx';
import './styles.css';

// Tracing starts before the first render so the first fetches are traced. A build with
// VITE_TRACING=off leaves the whole telemetry folder out of the bundle.
if (import.meta.env.VITE_TRACING !== 'off') {
  const { startTracing } = await import('./telemetry/tracing.ts');
  startTracing();
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <App />
    </BrowserRouter>
  </StrictMode>,
);
