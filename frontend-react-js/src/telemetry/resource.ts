import { browserInfo } from './browser.ts';
import { runTags } from './run-tags.ts';

/** What every span of this page shares: the service, the build, the browser and the screen (OTLP's resource). */
export function resourceAttributes(): Record<string, string | number> {
  const browser = browserInfo();
  return {
    'service.name': import.meta.env.VITE_OTEL_SERVICE_NAME || 'frontend-react-js',
    'service.version': __APP_VERSION__,
    'browser.name': browser.name,
    'browser.version': browser.version,
    'browser.language': navigator.language,
    'screen.width': window.screen.width,
    'screen.height': window.screen.height,
    // The build's flags: dev server or production build, one origin or split mode.
    'deployment.environment.name': import.meta.env.MODE,
    'app.origin_mode': import.meta.env.VITE_BACKEND_URL ? 'split' : 'one-origin',
    ...runTags(),
  };
}
