// The app's own Vite config, with the peer's tracing in place of ours.
import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vite';
import app from '../../frontend-react-js/vite.config.ts';

export default mergeConfig(app, {
  root: fileURLToPath(new URL('../../frontend-react-js', import.meta.url)),
  resolve: { alias: [{ find: /^\.\/telemetry\/tracing\.ts$/, replacement: fileURLToPath(new URL('./tracing.ts', import.meta.url)) }] },
});
